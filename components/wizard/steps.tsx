"use client";
import type { Dispatch, SetStateAction } from "react";
import { useNamespaces } from "@/lib/queries/hooks";
import { useT } from "@/lib/i18n/client";
import { STRATEGIES, type Strategy } from "@/lib/release/types";
import type { ServicesResponse } from "@/lib/api/contracts";
import { LoadingBlock, QueryError } from "@/components/ui/query-state";
import { RoutingBar } from "@/components/routing/routing-bar";
import { VersionsTable } from "@/components/services/versions-table";
import { StrategyDiagram } from "@/components/releases/strategy-diagram";
import {
  defaultBaseVersion,
  emptyEnv,
  inheritFromBase,
  type EnvRow,
  type EnvSource,
  type ProbeForm,
  type ProbeType,
  type WizardForm,
} from "./form";
import { Field, PathError } from "./field";

export type SetForm = Dispatch<SetStateAction<WizardForm>>;

// ---------------------------------------------------------------- 1. basic

export function BasicStep({ form, setForm }: { form: WizardForm; setForm: SetForm }) {
  const t = useT();
  const namespaces = useNamespaces();
  return (
    <div className="space-y-5">
      <div className="grid grid-cols-2 gap-5">
        <Field path="name" label={t("wizard.name")} hint={t("wizard.nameHint")}>
          {(props) => (
            <input
              {...props}
              className="input"
              value={form.name}
              autoComplete="off"
              placeholder={form.service ? `${form.service}-${form.strategy}` : "reviews-canary"}
              onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
            />
          )}
        </Field>
        <Field path="namespace" label={t("wizard.namespace")}>
          {(props) => (
            <select
              {...props}
              className="input"
              value={form.namespace}
              onChange={(e) => {
                const namespace = e.target.value;
                setForm((f) => (f.namespace === namespace ? f : { ...f, namespace, service: "", baseVersion: "" }));
              }}
            >
              <option value="">{t("wizard.pickNamespace")}</option>
              {form.namespace && !namespaces.data?.namespaces.some((n) => n.name === form.namespace) && (
                <option value={form.namespace}>{form.namespace}</option>
              )}
              {namespaces.data?.namespaces.map((n) => (
                <option key={n.name} value={n.name}>
                  {n.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {namespaces.isError && <QueryError error={namespaces.error} onRetry={() => void namespaces.refetch()} />}
      <fieldset>
        <legend className="label">{t("wizard.strategy")}</legend>
        <div className="grid grid-cols-2 gap-3 2xl:grid-cols-3" role="radiogroup">
          {STRATEGIES.map((s: Strategy) => (
            <label
              key={s}
              className={`flex cursor-pointer gap-3 rounded-lg border p-3 ${form.strategy === s ? "border-sky-600 bg-sky-50 ring-1 ring-sky-600" : "border-slate-200 bg-white hover:border-slate-400"}`}
              data-testid={`strategy-option-${s}`}
            >
              <input
                type="radio"
                name="strategy"
                value={s}
                checked={form.strategy === s}
                onChange={() => setForm((f) => ({ ...f, strategy: s }))}
                className="mt-1"
              />
              <span className="flex-1">
                <span className="block font-medium">{t(`strategy.${s}.name`)}</span>
                <span className="block text-xs text-slate-600">{t(`strategy.${s}.desc`)}</span>
              </span>
              <StrategyDiagram strategy={s} />
            </label>
          ))}
        </div>
        <PathError path="strategy" />
      </fieldset>
    </div>
  );
}

// ---------------------------------------------------------------- 2. service

interface ServiceStepProps {
  form: WizardForm;
  setForm: SetForm;
  services: { data?: ServicesResponse; isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };
}

export function ServiceStep({ form, setForm, services }: ServiceStepProps) {
  const t = useT();
  if (!form.namespace) return <p className="text-sm text-slate-600">{t("wizard.pickNamespaceFirst")}</p>;
  if (services.isPending) return <LoadingBlock />;
  if (services.isError || !services.data)
    return <QueryError error={services.error} onRetry={() => void services.refetch()} />;
  const list = services.data.services;
  const selected = list.find((s) => s.name === form.service);
  const pick = (name: string) => {
    const svc = list.find((s) => s.name === name);
    if (!svc) return;
    const base = defaultBaseVersion(svc.versions, svc.routing);
    setForm((f) =>
      inheritFromBase(
        { ...f, service: name, baseVersion: base },
        svc.versions.find((v) => v.version === base),
        svc.versions,
      ),
    );
  };
  return (
    <div className="space-y-4">
      {!services.data.istioAvailable && (
        <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {t("services.istioMissing")}
        </p>
      )}
      <fieldset>
        <legend className="label">{t("wizard.service")}</legend>
        {list.length === 0 && <p className="text-sm text-slate-500">{t("services.empty")}</p>}
        <div className="space-y-2" role="radiogroup">
          {list.map((s) => (
            <label
              key={s.name}
              className={`grid cursor-pointer grid-cols-[auto_minmax(0,10rem)_minmax(0,1fr)_minmax(0,20rem)] items-start gap-4 rounded-lg border p-3 ${form.service === s.name ? "border-sky-600 bg-sky-50 ring-1 ring-sky-600" : "border-slate-200 bg-white hover:border-slate-400"}`}
              data-testid={`service-option-${s.name}`}
            >
              <input
                type="radio"
                name="service"
                value={s.name}
                checked={form.service === s.name}
                onChange={() => pick(s.name)}
                className="mt-1"
              />
              <span>
                <span className="block font-mono font-medium">{s.name}</span>
                {s.activeTask && (
                  <span className="mt-1 block text-xs text-amber-800">
                    {t("wizard.serviceBusy", { name: s.activeTask.name })}
                  </span>
                )}
              </span>
              <VersionsTable versions={s.versions} t={t} />
              <RoutingBar routing={s.routing} versions={s.versions} t={t} testId={`wizard-routing-${s.name}`} />
            </label>
          ))}
        </div>
        <PathError path="service" />
      </fieldset>
      {selected && (
        <Field
          path="baseVersion"
          label={t("wizard.baseVersion")}
          hint={t("wizard.baseVersionHint")}
          className="max-w-md"
        >
          {(props) => (
            <select
              {...props}
              className="input"
              value={form.baseVersion}
              onChange={(e) => {
                const v = e.target.value;
                setForm((f) =>
                  inheritFromBase(
                    { ...f, baseVersion: v },
                    selected.versions.find((x) => x.version === v),
                    selected.versions,
                  ),
                );
              }}
            >
              {selected.versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version} — {v.image}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- 3. new version

type NV = WizardForm["newVersion"];

export function VersionStep({ form, setForm }: { form: WizardForm; setForm: SetForm }) {
  const t = useT();
  const nv = form.newVersion;
  const base = form.baseVersion || "—";
  const setNv = (patch: Partial<NV>) => setForm((f) => ({ ...f, newVersion: { ...f.newVersion, ...patch } }));
  const inheritedHint = t("wizard.inheritedUnlessSet", { version: base });
  return (
    <div className="space-y-6">
      <div className="grid grid-cols-3 gap-5">
        <Field path="newVersion.version" label={t("wizard.versionLabel")} hint={t("wizard.versionHint")}>
          {(props) => (
            <input
              {...props}
              className="input font-mono"
              value={nv.version}
              onChange={(e) => setNv({ version: e.target.value, versionEdited: true })}
            />
          )}
        </Field>
        <Field
          path="newVersion.image"
          label={t("wizard.image")}
          inherited={nv.imageEdited ? null : base}
          className="col-span-2"
        >
          {(props) => (
            <input
              {...props}
              className="input font-mono"
              value={nv.image}
              onChange={(e) => setNv({ image: e.target.value, imageEdited: true })}
              spellCheck={false}
            />
          )}
        </Field>
        <Field path="newVersion.replicas" label={t("wizard.replicas")} inherited={nv.replicasEdited ? null : base}>
          {(props) => (
            <input
              {...props}
              className="input"
              type="number"
              min={0}
              max={100}
              value={nv.replicas}
              onChange={(e) => setNv({ replicas: e.target.value, replicasEdited: true })}
            />
          )}
        </Field>
      </div>

      <fieldset className="rounded-md border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold">{t("wizard.resources")}</legend>
        <p className="hint mb-3">{inheritedHint}</p>
        <div className="grid grid-cols-4 gap-4">
          <Field path="newVersion.resources.requests.cpu" label={t("wizard.cpuRequest")}>
            {(props) => (
              <input
                {...props}
                className="input"
                placeholder="100m"
                value={nv.cpuRequest}
                onChange={(e) => setNv({ cpuRequest: e.target.value })}
              />
            )}
          </Field>
          <Field path="newVersion.resources.requests.memory" label={t("wizard.memoryRequest")}>
            {(props) => (
              <input
                {...props}
                className="input"
                placeholder="128Mi"
                value={nv.memoryRequest}
                onChange={(e) => setNv({ memoryRequest: e.target.value })}
              />
            )}
          </Field>
          <Field path="newVersion.resources.limits.cpu" label={t("wizard.cpuLimit")}>
            {(props) => (
              <input
                {...props}
                className="input"
                placeholder="500m"
                value={nv.cpuLimit}
                onChange={(e) => setNv({ cpuLimit: e.target.value })}
              />
            )}
          </Field>
          <Field path="newVersion.resources.limits.memory" label={t("wizard.memoryLimit")}>
            {(props) => (
              <input
                {...props}
                className="input"
                placeholder="256Mi"
                value={nv.memoryLimit}
                onChange={(e) => setNv({ memoryLimit: e.target.value })}
              />
            )}
          </Field>
        </div>
      </fieldset>

      <fieldset className="rounded-md border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold">{t("wizard.env")}</legend>
        <p className="hint mb-3">{t("wizard.envHint", { version: base })}</p>
        <EnvEditor rows={nv.env} onChange={(env) => setNv({ env })} />
        <PathError path="newVersion.env" />
      </fieldset>

      <div className="grid grid-cols-2 gap-5">
        <ProbeEditor
          which="readinessProbe"
          probe={nv.readinessProbe}
          onChange={(readinessProbe) => setNv({ readinessProbe })}
          base={base}
        />
        <ProbeEditor
          which="livenessProbe"
          probe={nv.livenessProbe}
          onChange={(livenessProbe) => setNv({ livenessProbe })}
          base={base}
        />
      </div>

      <div className="grid grid-cols-2 gap-5">
        <Field
          path="newVersion.command"
          label={t("wizard.command")}
          hint={`${t("wizard.onePerLine")} ${inheritedHint}`}
        >
          {(props) => (
            <textarea
              {...props}
              rows={3}
              className="input font-mono"
              value={nv.command}
              onChange={(e) => setNv({ command: e.target.value })}
              spellCheck={false}
            />
          )}
        </Field>
        <Field path="newVersion.args" label={t("wizard.args")} hint={`${t("wizard.onePerLine")} ${inheritedHint}`}>
          {(props) => (
            <textarea
              {...props}
              rows={3}
              className="input font-mono"
              value={nv.args}
              onChange={(e) => setNv({ args: e.target.value })}
              spellCheck={false}
            />
          )}
        </Field>
      </div>
    </div>
  );
}

function EnvEditor({ rows, onChange }: { rows: EnvRow[]; onChange: (rows: EnvRow[]) => void }) {
  const t = useT();
  const set = (i: number, patch: Partial<EnvRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="space-y-2">
      {rows.map((r, i) => {
        const p = `newVersion.env[${i}]`;
        const refField = r.source === "secret" ? "secretKeyRef" : "configMapKeyRef";
        return (
          <div key={i} className="flex flex-wrap items-start gap-2" data-testid={`env-row-${i}`}>
            <Field path={`${p}.name`} label={t("wizard.envName")} className="w-52">
              {(props) => (
                <input
                  {...props}
                  className="input font-mono"
                  value={r.name}
                  onChange={(e) => set(i, { name: e.target.value })}
                />
              )}
            </Field>
            <Field path={`${p}.source`} label={t("wizard.envSource")} className="w-40">
              {(props) => (
                <select
                  {...props}
                  className="input"
                  value={r.source}
                  onChange={(e) => set(i, { source: e.target.value as EnvSource })}
                >
                  <option value="value">{t("wizard.envLiteral")}</option>
                  <option value="secret">{t("wizard.envSecret")}</option>
                  <option value="configMap">{t("wizard.envConfigMap")}</option>
                </select>
              )}
            </Field>
            {r.source === "value" ? (
              <Field path={`${p}.value`} label={t("wizard.envValue")} className="min-w-48 flex-1">
                {(props) => (
                  <input
                    {...props}
                    className="input font-mono"
                    value={r.value}
                    onChange={(e) => set(i, { value: e.target.value })}
                  />
                )}
              </Field>
            ) : (
              <>
                <Field
                  path={`${p}.${refField}.name`}
                  label={r.source === "secret" ? t("wizard.secretName") : t("wizard.configMapName")}
                  className="w-52"
                >
                  {(props) => (
                    <input
                      {...props}
                      className="input font-mono"
                      value={r.refName}
                      onChange={(e) => set(i, { refName: e.target.value })}
                    />
                  )}
                </Field>
                <Field path={`${p}.${refField}.key`} label={t("wizard.refKey")} className="w-40">
                  {(props) => (
                    <input
                      {...props}
                      className="input font-mono"
                      value={r.refKey}
                      onChange={(e) => set(i, { refKey: e.target.value })}
                    />
                  )}
                </Field>
              </>
            )}
            <button
              type="button"
              className="btn mt-6"
              onClick={() => onChange(rows.filter((_, j) => j !== i))}
              aria-label={t("wizard.removeEnv", { n: i + 1 })}
            >
              ✕
            </button>
            <div className="basis-full">
              <PathError path={p} />
            </div>
          </div>
        );
      })}
      <button type="button" className="btn" onClick={() => onChange([...rows, emptyEnv()])} data-testid="add-env">
        + {t("wizard.addEnv")}
      </button>
    </div>
  );
}

function ProbeEditor({
  which,
  probe,
  onChange,
  base,
}: {
  which: "readinessProbe" | "livenessProbe";
  probe: ProbeForm;
  onChange: (p: ProbeForm) => void;
  base: string;
}) {
  const t = useT();
  const p = `newVersion.${which}`;
  const set = (patch: Partial<ProbeForm>) => onChange({ ...probe, ...patch });
  return (
    <fieldset className="rounded-md border border-slate-200 p-4">
      <legend className="px-1 text-sm font-semibold">
        {which === "readinessProbe" ? t("wizard.readinessProbe") : t("wizard.livenessProbe")}
      </legend>
      <Field path={`${p}.type`} label={t("wizard.probeType")}>
        {(props) => (
          <select
            {...props}
            className="input"
            value={probe.type}
            onChange={(e) => set({ type: e.target.value as ProbeType })}
          >
            <option value="none">{t("wizard.probeInherit", { version: base })}</option>
            <option value="httpGet">HTTP GET</option>
            <option value="tcpSocket">TCP</option>
            <option value="exec">{t("wizard.probeExec")}</option>
          </select>
        )}
      </Field>
      {probe.type !== "none" && (
        <div className="mt-3 grid grid-cols-2 gap-3">
          {probe.type === "httpGet" && (
            <Field path={`${p}.httpGet.path`} label={t("wizard.probePath")}>
              {(props) => (
                <input
                  {...props}
                  className="input font-mono"
                  value={probe.path}
                  onChange={(e) => set({ path: e.target.value })}
                />
              )}
            </Field>
          )}
          {(probe.type === "httpGet" || probe.type === "tcpSocket") && (
            <Field path={`${p}.${probe.type}.port`} label={t("wizard.probePort")}>
              {(props) => (
                <input
                  {...props}
                  className="input font-mono"
                  placeholder="9080"
                  value={probe.port}
                  onChange={(e) => set({ port: e.target.value })}
                />
              )}
            </Field>
          )}
          {probe.type === "exec" && (
            <Field
              path={`${p}.exec.command`}
              label={t("wizard.probeCommand")}
              hint={t("wizard.onePerLine")}
              className="col-span-2"
            >
              {(props) => (
                <textarea
                  {...props}
                  rows={2}
                  className="input font-mono"
                  value={probe.command}
                  onChange={(e) => set({ command: e.target.value })}
                />
              )}
            </Field>
          )}
          <Field path={`${p}.initialDelaySeconds`} label={t("wizard.initialDelay")}>
            {(props) => (
              <input
                {...props}
                type="number"
                min={0}
                className="input"
                value={probe.initialDelaySeconds}
                onChange={(e) => set({ initialDelaySeconds: e.target.value })}
              />
            )}
          </Field>
          <Field path={`${p}.periodSeconds`} label={t("wizard.period")}>
            {(props) => (
              <input
                {...props}
                type="number"
                min={1}
                className="input"
                value={probe.periodSeconds}
                onChange={(e) => set({ periodSeconds: e.target.value })}
              />
            )}
          </Field>
        </div>
      )}
      <PathError path={p} />
    </fieldset>
  );
}
