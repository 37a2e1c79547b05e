"use client";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useCreateTask, usePreviewTask, useServices } from "@/lib/queries/hooks";
import { isApiError } from "@/lib/queries/fetcher";
import { useT } from "@/lib/i18n/client";
import type { TaskSpecInput } from "@/lib/release/spec";
import type { Strategy } from "@/lib/release/types";
import { useToast } from "@/components/ui/toast";
import { PermissionNote, useCanChange } from "@/components/auth/permission-note";
import { buildSpec, defaultBaseVersion, defaultVariants, inheritFromBase, initialForm, stepOfPath, STEPS, type WizardForm } from "./form";
import { firstErrorStep, toFieldErrors, validateStep, type FieldErrors } from "./validate";
import { UnplacedErrors, WizardFieldContext } from "./field";
import { BasicStep, ServiceStep, VersionStep } from "./steps";
import { TrafficStep } from "./traffic-step";
import { ReviewStep } from "./review-step";

const REVIEW = STEPS.length - 1;
const TRAFFIC = STEPS.indexOf("traffic");

/** Drops the errors owned by `step` (they are about to be recomputed). */
function withoutStep(errors: FieldErrors, step: number): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([path]) => stepOfPath(path) !== step));
}

export function ReleaseWizard({ prefill }: { prefill: { namespace?: string; service?: string; strategy?: Strategy } }) {
  const t = useT();
  const toast = useToast();
  const router = useRouter();
  const [form, setForm] = useState<WizardForm>(() => initialForm(prefill));
  const [step, setStep] = useState(0);
  /** Steps the user tried to leave: their fields are re-validated on every change from then on. */
  const [attempted, setAttempted] = useState<ReadonlySet<number>>(new Set());
  /** Problems the API reported; kept until that step is validated again. */
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<string | null>(null);
  const services = useServices(form.namespace || undefined);
  const preview = usePreviewTask();
  const create = useCreateTask();
  // Said as soon as the namespace is chosen, not only on the last step.
  const canChange = useCanChange(form.namespace || undefined);
  const noteId = useId();
  const previewed = useRef<TaskSpecInput | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // A service given in the URL: once its versions are known, take the base defaults from it.
  useEffect(() => {
    if (!services.data || !form.service || form.baseVersion) return;
    const svc = services.data.services.find((s) => s.name === form.service);
    if (!svc) return;
    const base = defaultBaseVersion(svc.versions, svc.routing);
    setForm((f) => (f.baseVersion ? f : inheritFromBase({ ...f, baseVersion: base }, svc.versions.find((v) => v.version === base), svc.versions)));
  }, [services.data, form.service, form.baseVersion]);

  // Move focus to the step heading so screen readers announce the new step.
  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);

  const liveErrors = useMemo(() => (attempted.has(step) && step < REVIEW ? validateStep(form, step) : {}), [attempted, step, form]);
  const errors = useMemo(() => ({ ...serverErrors, ...liveErrors }), [serverErrors, liveErrors]);
  const placed = new Set<string>();

  const selectedService = services.data?.services.find((s) => s.name === form.service);

  const applyApiError = (err: unknown) => {
    if (!isApiError(err)) {
      toast("error", String(err));
      return;
    }
    const fields = toFieldErrors(err.fieldErrors);
    if (Object.keys(fields).length === 0) {
      toast("error", err.message);
      return;
    }
    setServerErrors(fields);
    const target = firstErrorStep(fields);
    if (target !== null && target < REVIEW) {
      setStep(target);
      setNotice(t("wizard.apiRejected", { message: err.message }));
    } else setNotice(err.message);
  };

  const runPreview = (spec: TaskSpecInput) => {
    previewed.current = spec;
    preview.mutate(spec, { onError: applyApiError });
  };

  const goTo = (target: number) => {
    setNotice(null);
    if (target === TRAFFIC && form.strategy === "ab-test" && form.traffic.variants.length === 0)
      setForm((f) => ({ ...f, traffic: { ...f.traffic, variants: defaultVariants(f.baseVersion, f.newVersion.version) } }));
    if (target === REVIEW) runPreview(buildSpec(form));
    setStep(target);
  };

  const next = () => {
    setAttempted((a) => new Set(a).add(step));
    setServerErrors((e) => withoutStep(e, step));
    const problems = validateStep(form, step);
    if (Object.keys(problems).length > 0) {
      setNotice(t("wizard.fixErrors"));
      return;
    }
    goTo(step + 1);
  };

  const submit = () => {
    if (!canChange.allowed) return;
    const spec = previewed.current ?? buildSpec(form);
    create.mutate(spec, {
      onSuccess: (res) => {
        toast("success", t("wizard.created", { name: res.task.name }));
        router.push(`/releases/${encodeURIComponent(res.task.id)}`);
      },
      onError: applyApiError,
    });
  };

  const stepTitle = t(`wizard.step.${STEPS[step] ?? "basic"}`);
  return (
    <WizardFieldContext.Provider value={{ errors, placed }}>
      <div className="grid grid-cols-[14rem_1fr] gap-6">
        <nav aria-label={t("wizard.progress")}>
          <ol className="space-y-1" data-testid="wizard-steps">
            {STEPS.map((s, i) => {
              const state = i < step ? "done" : i === step ? "current" : "todo";
              return (
                <li key={s}>
                  <button
                    type="button"
                    disabled={i >= step}
                    onClick={() => goTo(i)}
                    aria-current={i === step ? "step" : undefined}
                    data-testid={`wizard-step-${i + 1}`}
                    data-state={state}
                    className={`flex w-full items-center gap-3 rounded-md px-3 py-2 text-left text-sm ${state === "current" ? "bg-sky-700 font-medium text-white" : state === "done" ? "text-slate-800 hover:bg-slate-200" : "text-slate-500"}`}
                  >
                    <span
                      className={`flex size-6 shrink-0 items-center justify-center rounded-full border text-xs ${state === "current" ? "border-white" : state === "done" ? "border-emerald-600 bg-emerald-600 text-white" : "border-slate-400"}`}
                      aria-hidden
                    >
                      {state === "done" ? "✓" : i + 1}
                    </span>
                    {t(`wizard.step.${s}`)}
                  </button>
                </li>
              );
            })}
          </ol>
        </nav>

        <form
          className="card p-6"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (step < REVIEW) next();
          }}
        >
          <h2 ref={headingRef} tabIndex={-1} className="mb-1 outline-none" data-testid="wizard-step-title">
            {t("wizard.stepOf", { n: step + 1, total: STEPS.length })}: {stepTitle}
          </h2>
          <p className="mb-5 text-sm text-slate-600">{t(`wizard.stepHint.${STEPS[step] ?? "basic"}`)}</p>
          {notice && (
            <div role="alert" className="mb-4 rounded-md border border-red-300 bg-red-50 px-4 py-2 text-sm text-red-900" data-testid="wizard-notice">
              {notice}
            </div>
          )}

          {step === 0 && <BasicStep form={form} setForm={setForm} />}
          {step === 1 && <ServiceStep form={form} setForm={setForm} services={services} />}
          {step === 2 && <VersionStep form={form} setForm={setForm} />}
          {step === 3 && <TrafficStep form={form} setForm={setForm} versions={selectedService?.versions ?? []} />}
          {step === REVIEW && <ReviewStep preview={preview} onRetry={() => runPreview(buildSpec(form))} />}
          <UnplacedErrors step={step} stepOf={stepOfPath} />
          <PermissionNote can={canChange} place="wizard" id={noteId} className="mt-6" />

          <div className="mt-8 flex items-center justify-between border-t border-slate-200 pt-4">
            <button type="button" className="btn" disabled={step === 0 || create.isPending} onClick={() => goTo(step - 1)} data-testid="wizard-back">
              ← {t("wizard.back")}
            </button>
            {step < REVIEW ? (
              <button type="submit" className="btn btn-primary" data-testid="wizard-next">
                {t("wizard.next")} →
              </button>
            ) : (
              <button
                type="button"
                className="btn btn-primary"
                disabled={create.isPending || preview.isPending || !canChange.allowed}
                aria-describedby={canChange.allowed ? undefined : noteId}
                onClick={submit}
                data-testid="wizard-create"
              >
                {create.isPending ? t("common.working") : t("wizard.create")}
              </button>
            )}
          </div>
        </form>
      </div>
    </WizardFieldContext.Provider>
  );
}
