"use client";
import { useT } from "@/lib/i18n/client";
import { batchPlan } from "@/lib/release/replicas";
import { capabilitiesOf } from "@/lib/release/strategies";
import type { VersionGroup } from "@/lib/release/routing";
import { TrafficSlider } from "@/components/ui/traffic-slider";
import { colourOf, versionColours } from "@/components/routing/version-colours";
import type { VariantForm, WizardForm } from "./form";
import { Field, PathError } from "./field";
import { RulesEditor } from "./rules-editor";
import { PreviewEditor } from "./preview-editor";
import { StepsEditor } from "./steps-editor";
import { NotificationsEditor } from "./notifications-editor";
import type { SetForm } from "./steps";

type Traffic = WizardForm["traffic"];

export function TrafficStep({
  form,
  setForm,
  versions,
}: {
  form: WizardForm;
  setForm: SetForm;
  versions: readonly VersionGroup[];
}) {
  const t = useT();
  const tr = form.traffic;
  const caps = capabilitiesOf(form.strategy);
  const base = form.baseVersion;
  const next = form.newVersion.version;
  const names = [...new Set([...versions.map((v) => v.version), base, next])];
  // The same roles as the task page will use once the release exists: base blue, new green.
  const colours = versionColours({ versions: names, base, next });
  const setTraffic = (patch: Partial<Traffic>) => setForm((f) => ({ ...f, traffic: { ...f.traffic, ...patch } }));
  const splitText = (w: number) => t("task.weightValueText", { next, nextWeight: w, base, baseWeight: 100 - w });

  const weightSlider = (
    <Field path="traffic.weights" label={t("wizard.trafficSplit")} hint={t("wizard.trafficSplitHint", { next, base })}>
      {() => (
        <TrafficSlider
          value={tr.weight}
          onChange={(weight) => setTraffic({ weight })}
          label={t("task.sliderLabel", { version: next })}
          inputLabel={t("task.inputLabel", { version: next })}
          valueText={splitText}
          fillColour={colourOf(colours, next)}
          restColour={colourOf(colours, base)}
        />
      )}
    </Field>
  );

  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-700">{t(`wizard.trafficIntro.${form.strategy}`, { base, next })}</p>
      <PathError path="traffic" />

      {caps.hasWeights && (
        <>
          {weightSlider}
          <p className="text-sm font-medium tabular-nums" data-testid="split-summary">
            {splitText(tr.weight)}
          </p>
        </>
      )}
      {caps.splitsPods && <p className="hint">{t("wizard.replicaCanaryHint")}</p>}

      {caps.hasMatchRules && (
        <fieldset className="rounded-md border border-slate-200 p-4">
          <legend className="px-1 text-sm font-semibold">
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={tr.useMatch}
                onChange={(e) => setTraffic({ useMatch: e.target.checked })}
                data-testid="use-match"
              />
              {t("wizard.matchRoute")}
            </label>
          </legend>
          <p className="hint mb-3">{t("wizard.matchRouteHint", { next })}</p>
          {tr.useMatch && (
            <div className="space-y-4">
              <RulesEditor rules={tr.rules} onChange={(rules) => setTraffic({ rules })} path="traffic.match" />
              <Field path="traffic.matchWeight" label={t("wizard.matchWeight", { next })}>
                {() => (
                  <TrafficSlider
                    value={tr.matchWeight}
                    min={1}
                    onChange={(matchWeight) => setTraffic({ matchWeight })}
                    label={t("wizard.matchWeight", { next })}
                    inputLabel={t("wizard.matchWeightInput", { next })}
                    valueText={(v) => `${next} ${v}%`}
                    testIdPrefix="match-weight"
                    fillColour={colourOf(colours, next)}
                    restColour={colourOf(colours, base)}
                  />
                )}
              </Field>
            </div>
          )}
        </fieldset>
      )}

      {caps.hasPreview && <PreviewEditor form={form} versions={versions} setTraffic={setTraffic} />}

      {caps.hasMirror && (
        <Field
          path="traffic.mirrorPercent"
          label={t("wizard.mirrorPercent", { next })}
          hint={t("wizard.mirrorHint", { base, next })}
        >
          {() => (
            <TrafficSlider
              value={tr.mirrorPercent}
              onChange={(mirrorPercent) => setTraffic({ mirrorPercent })}
              label={t("task.mirrorSliderLabel", { version: next })}
              inputLabel={t("task.mirrorInputLabel", { version: next })}
              valueText={(v) => t("task.mirrorValueText", { percent: v, version: next })}
              testIdPrefix="mirror"
              fillColour={colourOf(colours, next)}
              restColour="#cbd5e1"
            />
          )}
        </Field>
      )}

      {caps.hasVariants && (
        <VariantsEditor variants={tr.variants} onChange={(variants) => setTraffic({ variants })} versions={names} />
      )}

      {caps.hasBatches && <BatchEditor form={form} setForm={setForm} />}
      <StepsEditor form={form} setForm={setForm} />
      <NotificationsEditor form={form} setForm={setForm} />
    </div>
  );
}

function VariantsEditor({
  variants,
  onChange,
  versions,
}: {
  variants: VariantForm[];
  onChange: (v: VariantForm[]) => void;
  versions: string[];
}) {
  const t = useT();
  const set = (i: number, patch: Partial<VariantForm>) =>
    onChange(variants.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  return (
    <div className="space-y-3">
      <PathError path="traffic.variants" />
      {variants.map((v, i) => {
        const p = `traffic.variants[${i}]`;
        return (
          <fieldset key={i} className="rounded-md border border-slate-200 p-4" data-testid={`variant-${i}`}>
            <legend className="px-1 text-sm font-semibold">{t("wizard.variant", { n: i + 1 })}</legend>
            <div className="grid grid-cols-[12rem_12rem_1fr_auto] items-start gap-4">
              <Field path={`${p}.name`} label={t("wizard.variantName")}>
                {(props) => (
                  <input
                    {...props}
                    className="input font-mono"
                    value={v.name}
                    onChange={(e) => set(i, { name: e.target.value })}
                  />
                )}
              </Field>
              <Field path={`${p}.version`} label={t("services.version")}>
                {(props) => (
                  <select
                    {...props}
                    className="input"
                    value={v.version}
                    onChange={(e) => set(i, { version: e.target.value })}
                  >
                    {versions.map((name) => (
                      <option key={name} value={name}>
                        {name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <div className="space-y-2 pt-6 text-sm">
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={v.useWeight}
                    onChange={(e) => set(i, { useWeight: e.target.checked })}
                  />
                  {t("wizard.variantByWeight")}
                </label>
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={v.useMatch}
                    onChange={(e) => set(i, { useMatch: e.target.checked })}
                  />
                  {t("wizard.variantByMatch")}
                </label>
              </div>
              <button
                type="button"
                className="btn mt-6"
                disabled={variants.length <= 2}
                onClick={() => onChange(variants.filter((_, j) => j !== i))}
                aria-label={t("wizard.removeVariant", { n: i + 1 })}
              >
                ✕
              </button>
            </div>
            {v.useWeight && (
              <Field path={`${p}.weight`} label={t("wizard.variantWeight")} className="mt-3 w-40">
                {(props) => (
                  <input
                    {...props}
                    type="number"
                    min={0}
                    max={100}
                    className="input"
                    value={v.weight}
                    onChange={(e) => set(i, { weight: e.target.value })}
                  />
                )}
              </Field>
            )}
            {v.useMatch && (
              <div className="mt-3">
                <RulesEditor rules={v.rules} onChange={(rules) => set(i, { rules })} path={`${p}.match`} />
              </div>
            )}
            <PathError path={p} />
          </fieldset>
        );
      })}
      <button
        type="button"
        className="btn"
        onClick={() =>
          onChange([
            ...variants,
            {
              name: String.fromCharCode(97 + (variants.length % 26)),
              version: versions[0] ?? "",
              useMatch: true,
              rules: [],
              useWeight: false,
              weight: "",
            },
          ])
        }
        data-testid="add-variant"
      >
        + {t("wizard.addVariant")}
      </button>
    </div>
  );
}

function BatchEditor({ form, setForm }: { form: WizardForm; setForm: SetForm }) {
  const t = useT();
  const b = form.batch;
  const setBatch = (patch: Partial<WizardForm["batch"]>) => setForm((f) => ({ ...f, batch: { ...f.batch, ...patch } }));
  const groups = Number.parseInt(b.groups, 10);
  const replicas = Number.parseInt(form.newVersion.replicas, 10);
  const plan =
    Number.isInteger(groups) && Number.isInteger(replicas) && groups >= 1 && groups <= replicas
      ? batchPlan(replicas, groups, b.betaGroup)
      : null;
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-3 gap-5">
        <Field
          path="batch.groups"
          label={t("wizard.groups")}
          hint={t("wizard.groupsHint", { replicas: form.newVersion.replicas })}
        >
          {(props) => (
            <input
              {...props}
              type="number"
              min={1}
              max={100}
              className="input"
              value={b.groups}
              onChange={(e) => setBatch({ groups: e.target.value })}
            />
          )}
        </Field>
        <div className="space-y-2 pt-6 text-sm">
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={b.betaGroup}
              onChange={(e) => setBatch({ betaGroup: e.target.checked })}
              data-testid="field-batch.betaGroup"
            />
            {t("wizard.betaGroup")}
          </label>
          <PathError path="batch.betaGroup" />
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={b.pauseBetweenGroups}
              onChange={(e) => setBatch({ pauseBetweenGroups: e.target.checked })}
              data-testid="field-batch.pauseBetweenGroups"
            />
            {t("wizard.pauseBetweenGroups")}
          </label>
        </div>
      </div>
      {plan && (
        <p className="text-sm text-slate-700" data-testid="batch-plan">
          {t("wizard.batchPlan", { plan: plan.join(" + "), version: form.newVersion.version })}
        </p>
      )}
      <PathError path="batch" />
    </div>
  );
}
