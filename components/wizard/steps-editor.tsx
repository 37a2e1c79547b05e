"use client";
import { useState } from "react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/error-text";
import type { MessageKey } from "@/lib/i18n/messages/en";
import { strategyOf } from "@/lib/release/strategies";
import type { SpecStepKind } from "@/lib/release/steps-check";
import type { StepTemplateView } from "@/lib/api/contracts";
import { useDeleteStepTemplate, useSaveStepTemplate, useStepTemplates } from "@/lib/queries/hooks";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { emptyStepRow, rowsOfSteps, stepsOfRows, type StepRow, type WizardForm } from "./form";
import { PathError } from "./field";
import { RulesEditor } from "./rules-editor";
import type { SetForm } from "./steps";

// The traffic step's "Steps and analysis": a release plan walked on its own (promote / pause /
// analysis), from a template (built in or saved for the namespace), edited here, and saved back
// as a template for the namespace.

const NUMBER_KINDS: readonly SpecStepKind[] = ["setWeight", "setMirror", "setReplicas"];
const TIMED_KINDS: readonly SpecStepKind[] = ["pause", "analysis"];

/** A template fits the strategy when the strategy can do every step it has. */
function fits(template: StepTemplateView, kinds: readonly SpecStepKind[]): boolean {
  return template.steps.every((s) => kinds.includes((Object.keys(s)[0] ?? "") as SpecStepKind));
}

function templateLabel(template: StepTemplateView, t: ReturnType<typeof useT>): string {
  return template.builtIn ? t(`stepsEditor.builtin.${template.name}` as MessageKey) : template.name;
}

const KNOWN_METRICS = ["success-rate", "latency-p99"];

/** "10s: success rate >= 99, p99 latency <= 500" from a template's analysis block, in the reader's words. */
function analysisSummary(analysis: Record<string, unknown>, t: ReturnType<typeof useT>): string {
  const metrics = Array.isArray(analysis.metrics) ? (analysis.metrics as Record<string, unknown>[]) : [];
  const parts = metrics.map((m) => {
    const name = String(m.name ?? "");
    const metric = KNOWN_METRICS.includes(name) ? t(`stepsEditor.metricName.${name}` as MessageKey) : name;
    const bounds = [
      m.min !== undefined ? t("stepsEditor.metricMin", { metric, value: String(m.min) }) : "",
      m.max !== undefined ? t("stepsEditor.metricMax", { metric, value: String(m.max) }) : "",
    ];
    return bounds.filter(Boolean).join(", ");
  });
  return t("stepsEditor.analysisEvery", { interval: String(analysis.interval ?? ""), metrics: parts.join(", ") });
}

function StepRowEditor({
  row,
  index,
  kinds,
  onChange,
  onRemove,
}: {
  row: StepRow;
  index: number;
  kinds: readonly SpecStepKind[];
  onChange: (row: StepRow) => void;
  onRemove: () => void;
}) {
  const t = useT();
  return (
    <li className="flex flex-wrap items-center gap-2" data-testid={`steps-row-${index}`}>
      <span className="w-6 text-right text-sm text-slate-500">{index + 1}.</span>
      <select
        className="input w-44"
        aria-label={t("stepsEditor.kind", { n: index + 1 })}
        value={row.kind}
        onChange={(e) => onChange(emptyStepRow(e.target.value as SpecStepKind))}
        data-testid={`steps-kind-${index}`}
      >
        {[...new Set([...kinds, row.kind])].map((k) => (
          <option key={k} value={k}>
            {t(`stepsEditor.kindName.${k}` as MessageKey)}
          </option>
        ))}
      </select>
      {NUMBER_KINDS.includes(row.kind) && (
        <input
          className="input w-24"
          type="number"
          min={0}
          aria-label={t("stepsEditor.value", { n: index + 1 })}
          value={row.value}
          onChange={(e) => onChange({ ...row, value: e.target.value })}
          data-testid={`steps-value-${index}`}
        />
      )}
      {row.kind === "setMatch" && (
        <div className="w-full pl-8" data-testid={`steps-match-${index}`}>
          <RulesEditor
            rules={row.rules ?? []}
            onChange={(rules) => onChange({ ...row, rules })}
            path={`steps[${index}].setMatch`}
          />
        </div>
      )}
      {TIMED_KINDS.includes(row.kind) && (
        <input
          className="input w-28"
          placeholder={row.kind === "pause" ? t("stepsEditor.untilPromoted") : "1m"}
          aria-label={t("stepsEditor.duration", { n: index + 1 })}
          value={row.duration}
          onChange={(e) => onChange({ ...row, duration: e.target.value })}
          data-testid={`steps-duration-${index}`}
        />
      )}
      <button type="button" className="btn" onClick={onRemove} aria-label={t("stepsEditor.remove", { n: index + 1 })}>
        ×
      </button>
      <PathError path={`steps[${index}]`} />
    </li>
  );
}

function SaveAsTemplate({ form }: { form: WizardForm }) {
  const t = useT();
  const toast = useToast();
  const save = useSaveStepTemplate(form.namespace);
  const [name, setName] = useState("");
  const submit = () =>
    save.mutate(
      { name: name.trim(), steps: stepsOfRows(form.steps.rows) as never, analysis: form.steps.analysis },
      {
        onSuccess: () => toast("success", t("stepsEditor.saved", { name: name.trim() })),
        onError: (err) => toast("error", t("stepsEditor.saveFailed", { message: errorText(err, t) })),
      },
    );
  return (
    <div className="flex flex-wrap items-center gap-2">
      <input
        className="input w-56"
        placeholder={t("stepsEditor.templateName")}
        aria-label={t("stepsEditor.templateName")}
        value={name}
        onChange={(e) => setName(e.target.value)}
        data-testid="steps-template-name"
      />
      <button
        type="button"
        className="btn"
        disabled={save.isPending || name.trim() === "" || form.steps.rows.length === 0}
        onClick={submit}
        data-testid="steps-save-template"
      >
        {t("stepsEditor.saveTemplate", { namespace: form.namespace })}
      </button>
    </div>
  );
}

/** Deletes the chosen saved template of the namespace, after a confirmation (built-in ones have no button). */
function DeleteTemplate({ namespace, name, onDeleted }: { namespace: string; name: string; onDeleted: () => void }) {
  const t = useT();
  const toast = useToast();
  const remove = useDeleteStepTemplate(namespace);
  const [asking, setAsking] = useState(false);
  const confirm = () =>
    remove.mutate(name, {
      onSuccess: () => {
        setAsking(false);
        onDeleted();
        toast("success", t("stepsEditor.deleted", { name }));
      },
      onError: (err) => {
        setAsking(false);
        toast("error", t("stepsEditor.deleteFailed", { message: errorText(err, t) }));
      },
    });
  return (
    <>
      <button type="button" className="btn" onClick={() => setAsking(true)} data-testid="steps-template-delete">
        {t("stepsEditor.deleteTemplate")}
      </button>
      <ConfirmDialog
        open={asking}
        title={t("stepsEditor.deleteTitle", { name })}
        effects={[t("stepsEditor.deleteEffect", { name, namespace })]}
        confirmLabel={t("stepsEditor.deleteTemplate")}
        busy={remove.isPending}
        onConfirm={confirm}
        onCancel={() => setAsking(false)}
      />
    </>
  );
}

export function StepsEditor({ form, setForm }: { form: WizardForm; setForm: SetForm }) {
  const t = useT();
  const kinds = strategyOf(form.strategy).stepKinds;
  const templates = useStepTemplates(form.namespace).data?.templates.filter((x) => fits(x, kinds)) ?? [];
  const st = form.steps;
  const setSteps = (patch: Partial<WizardForm["steps"]>) => setForm((f) => ({ ...f, steps: { ...f.steps, ...patch } }));
  const setRow = (i: number, row: StepRow) => setSteps({ rows: st.rows.map((r, j) => (j === i ? row : r)) });
  const apply = (name: string) => {
    const chosen = templates.find((x) => x.name === name);
    setSteps(
      chosen ? { template: name, rows: rowsOfSteps(chosen.steps), analysis: chosen.analysis } : { template: "" },
    );
  };
  const chosen = templates.find((x) => x.name === st.template);
  if (kinds.length === 0) return null;
  return (
    <fieldset className="rounded-md border border-slate-200 p-4" data-testid="steps-editor">
      <legend className="px-1 text-sm font-semibold">
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={st.enabled}
            onChange={(e) => setSteps({ enabled: e.target.checked })}
            data-testid="use-steps"
          />
          {t("stepsEditor.title")}
        </label>
      </legend>
      <p className="hint mb-3">{t("stepsEditor.hint")}</p>
      {st.enabled && (
        <div className="space-y-3">
          <label className="flex flex-wrap items-center gap-2 text-sm">
            {t("stepsEditor.template")}
            <select
              className="input w-96"
              value={st.template}
              onChange={(e) => apply(e.target.value)}
              data-testid="steps-template"
            >
              <option value="">{t("stepsEditor.noTemplate")}</option>
              {templates.map((x) => (
                <option key={x.name} value={x.name}>
                  {templateLabel(x, t)}
                </option>
              ))}
            </select>
          </label>
          {chosen && !chosen.builtIn && (
            <DeleteTemplate
              namespace={form.namespace}
              name={chosen.name}
              onDeleted={() => setSteps({ template: "" })}
            />
          )}
          <ol className="space-y-2" data-testid="steps-rows">
            {st.rows.map((row, i) => (
              <StepRowEditor
                // biome-ignore lint/suspicious/noArrayIndexKey: rows hold no local state (controlled inputs): a row is its position
                key={i}
                row={row}
                index={i}
                kinds={kinds}
                onChange={(r) => setRow(i, r)}
                onRemove={() => setSteps({ rows: st.rows.filter((_, j) => j !== i) })}
              />
            ))}
          </ol>
          <button
            type="button"
            className="btn"
            onClick={() => setSteps({ rows: [...st.rows, emptyStepRow(kinds[0] ?? "pause")] })}
            data-testid="steps-add"
          >
            + {t("stepsEditor.add")}
          </button>
          {st.analysis && (
            <p className="flex items-center gap-2 text-sm text-slate-700">
              <span data-testid="steps-analysis">
                {t("stepsEditor.analysis", { summary: analysisSummary(st.analysis, t) })}
              </span>
              <button
                type="button"
                className="btn"
                onClick={() => setSteps({ analysis: null })}
                data-testid="steps-analysis-clear"
              >
                {t("stepsEditor.noAnalysis")}
              </button>
            </p>
          )}
          <PathError path="steps" />
          <SaveAsTemplate form={form} />
        </div>
      )}
    </fieldset>
  );
}
