"use client";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useCheckTaskStep, useCreateTask, usePreviewTask, useServices } from "@/lib/queries/hooks";
import { isApiError } from "@/lib/queries/fetcher";
import { useT } from "@/lib/i18n/client";
import { errorText, fieldErrorText } from "@/lib/i18n/error-text";
import type { TaskSpecInput } from "@/lib/release/spec";
import type { Strategy } from "@/lib/release/types";
import { capabilitiesOf } from "@/lib/release/strategies";
import { useToast } from "@/components/ui/toast";
import { PermissionNote, useCanChange } from "@/components/auth/permission-note";
import {
  buildSpec,
  checkBeforeLeaving,
  defaultBaseVersion,
  defaultVariants,
  inheritFromBase,
  initialForm,
  REVIEW_STEP,
  stepOfPath,
  STEPS,
  type WizardForm,
} from "./form";
import type { FieldErrors } from "./validate";
import {
  afterCheck,
  liveProblems,
  problemsOf,
  stepStatus,
  verifiedAfterPass,
  type ServerProblem,
  type StepStatus,
  type Verified,
} from "./server-problems";
import { UnplacedErrors, WizardFieldContext } from "./field";
import { BasicStep, ServiceStep, VersionStep } from "./steps";
import { LazyReviewStep, LazyTrafficStep, loadStepValidator, usePreloadedParts } from "./lazy-parts";

const REVIEW = REVIEW_STEP;
const TRAFFIC = STEPS.indexOf("traffic");
/** The steps the server checks before they are left (all but the review). */
const CHECKED = STEPS.slice(0, REVIEW).map((_, i) => i);

/** A message above the step; `retry`: the step whose check can be asked again from it. */
interface Notice {
  text: string;
  retry?: number;
}

/** Server problems rendered in the reader's language, the first per path. */
function renderProblems(live: readonly ServerProblem[], t: ReturnType<typeof useT>): FieldErrors {
  const out: FieldErrors = {};
  for (const p of live) if (!(p.path in out)) out[p.path] = fieldErrorText(p, t);
  return out;
}

export function ReleaseWizard({ prefill }: { prefill: { namespace?: string; service?: string; strategy?: Strategy } }) {
  const t = useT();
  const toast = useToast();
  const router = useRouter();
  const [form, setForm] = useState<WizardForm>(() => initialForm(prefill));
  const [step, setStep] = useState(0);
  /** The step an answer arriving later finds the user on. */
  const stepRef = useRef(0);
  /** The furthest step reached: the progress list lets the user go back and forth up to it. */
  const [furthest, setFurthest] = useState(0);
  /** Steps the user tried to leave: their fields are re-validated on every change from then on. */
  const [attempted, setAttempted] = useState<ReadonlySet<number>>(new Set());
  const [problems, setProblems] = useState<ServerProblem[]>([]);
  const [verified, setVerified] = useState<Verified>({});
  /** The spec the last successful preview showed: the one Create sends. */
  const [previewed, setPreviewed] = useState<TaskSpecInput | null>(null);
  const [noticeSet, setNotice] = useState<Notice | null>(null);
  const services = useServices(form.namespace || undefined);
  const check = useCheckTaskStep();
  const preview = usePreviewTask();
  const create = useCreateTask();
  // Said as soon as the namespace is chosen, not only on the last step.
  const canChange = useCanChange(form.namespace || undefined);
  const noteId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const parts = usePreloadedParts();

  // A service given in the URL: once its versions are known, take the base defaults from it.
  useEffect(() => {
    if (!services.data || !form.service || form.baseVersion) return;
    const svc = services.data.services.find((s) => s.name === form.service);
    if (!svc) return;
    const base = defaultBaseVersion(svc.versions, svc.routing);
    setForm((f) =>
      f.baseVersion
        ? f
        : inheritFromBase(
            { ...f, baseVersion: base },
            svc.versions.find((v) => v.version === base),
            svc.versions,
          ),
    );
  }, [services.data, form.service, form.baseVersion]);

  // Move focus to the step heading so screen readers announce the new step.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step changes, which the body does not read
  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);

  const spec = useMemo(() => buildSpec(form), [form]);
  const live = useMemo(() => liveProblems(problems, spec), [problems, spec]);
  const statuses: StepStatus[] = CHECKED.map((i) => stepStatus(i, spec, verified, live));
  const validator = parts.validator;
  // A part that failed to load is said until something else is; Next tries to load it again.
  const notice =
    noticeSet ?? (parts.loadError ? { text: t("wizard.checkOffline", { message: String(parts.loadError) }) } : null);
  const liveErrors = useMemo(
    () => (validator && attempted.has(step) && step < REVIEW ? validator(form, step, t) : {}),
    [validator, attempted, step, form, t],
  );
  const serverErrors = useMemo(() => renderProblems(live, t), [live, t]);
  const errors = useMemo(() => ({ ...serverErrors, ...liveErrors }), [serverErrors, liveErrors]);
  const placed = new Set<string>();

  const selectedService = services.data?.services.find((s) => s.name === form.service);
  const checking = check.isPending || (preview.isPending && step === TRAFFIC);
  const blocked = step < REVIEW && statuses[step] === "error";
  const allVerified = statuses.every((s) => s === "verified");
  const previewCurrent = preview.isSuccess && previewed !== null && JSON.stringify(previewed) === JSON.stringify(spec);
  const canCreate = allVerified && previewCurrent && canChange.allowed && !create.isPending;

  const show = (target: number) => {
    setNotice(null);
    if (target === TRAFFIC)
      setForm((f) =>
        capabilitiesOf(f.strategy).hasVariants && f.traffic.variants.length === 0
          ? { ...f, traffic: { ...f.traffic, variants: defaultVariants(f.baseVersion, f.newVersion.version) } }
          : f,
      );
    stepRef.current = target;
    setStep(target);
    setFurthest((f) => Math.max(f, target));
  };

  /** An answer that refused the spec: each field problem beside its field, anything else above the step. `asked`: null for Create. */
  const reportFailure = (err: unknown, asked: number | null, checked: TaskSpecInput) => {
    const retry = asked ?? undefined;
    if (!isApiError(err)) return setNotice({ text: String(err), retry });
    if (err.code === "network")
      return setNotice({ text: t("wizard.checkOffline", { message: errorText(err, t) }), retry });
    const fresh = problemsOf(err.fieldErrors, checked).filter((p) => stepOfPath(p.path) < REVIEW);
    if (fresh.length === 0) return setNotice({ text: t("wizard.checkFailed", { message: errorText(err, t) }), retry });
    setProblems((p) => afterCheck(p, asked ?? TRAFFIC, fresh));
    const target = Math.min(...fresh.map((p) => stepOfPath(p.path)));
    const waiting = asked === null || stepRef.current === asked;
    if (waiting && target !== stepRef.current) {
      show(target);
      setNotice({ text: t("wizard.serverFoundHere") });
    }
  };

  /** A passed check (or preview) of the sections through `asked`: tick them, move on if the user still waits. */
  const passed = (asked: number, checked: TaskSpecInput) => {
    setProblems((p) => afterCheck(p, asked, []));
    setVerified((v) => verifiedAfterPass(v, asked, checked));
    if (stepRef.current === asked) show(asked + 1);
  };

  /** Asks the server about `asked` before leaving it: its section check, or the full preview after the traffic step. */
  const ask = (asked: number) => {
    const plan = checkBeforeLeaving(asked);
    if (!plan) return;
    const checked = spec;
    setNotice(null);
    const onError = (err: unknown) => reportFailure(err, asked, checked);
    if (plan.kind === "check")
      check.mutate({ section: plan.section, spec: checked }, { onSuccess: () => passed(asked, checked), onError });
    else
      preview.mutate(checked, {
        onSuccess: () => {
          setPreviewed(checked);
          passed(asked, checked);
        },
        onError,
      });
  };

  const retryPreview = () => {
    const checked = spec;
    preview.mutate(checked, {
      onSuccess: () => {
        setPreviewed(checked);
        setProblems((p) => afterCheck(p, TRAFFIC, []));
        setVerified((v) => verifiedAfterPass(v, TRAFFIC, checked));
      },
      onError: (err) => reportFailure(err, null, checked),
    });
  };

  const next = async () => {
    setAttempted((a) => new Set(a).add(step));
    let validate = validator;
    try {
      validate ??= await loadStepValidator();
    } catch (err) {
      setNotice({ text: t("wizard.checkOffline", { message: String(err) }), retry: step });
      return;
    }
    if (Object.keys(validate(form, step, t)).length > 0) {
      setNotice({ text: t("wizard.fixErrors") });
      return;
    }
    ask(step);
  };

  const submit = () => {
    if (!canCreate || !previewed) return;
    const sent = previewed;
    create.mutate(sent, {
      onSuccess: (res) => {
        toast("success", t("wizard.created", { name: res.task.name }));
        router.push(`/releases/${encodeURIComponent(res.task.id)}`);
      },
      onError: (err) => reportFailure(err, null, sent),
    });
  };

  const stepTitle = (i: number) => t(`wizard.step.${STEPS[i] ?? "basic"}`);
  return (
    <WizardFieldContext.Provider value={{ errors, placed }}>
      <div className="grid grid-cols-[14rem_1fr] gap-6">
        <StepList
          statuses={statuses}
          step={step}
          furthest={furthest}
          locked={checking || create.isPending}
          onGo={show}
          title={stepTitle}
        />

        <form
          className="card p-6"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (step < REVIEW && !checking && !blocked) void next();
          }}
        >
          <h2
            ref={headingRef}
            tabIndex={-1}
            className="mb-1 outline-none"
            data-testid="wizard-step-title"
            data-step={STEPS[step]}
          >
            {t("wizard.stepOf", { n: step + 1, total: STEPS.length })}: {stepTitle(step)}
          </h2>
          <p className="mb-5 text-sm text-slate-600">{t(`wizard.stepHint.${STEPS[step] ?? "basic"}`)}</p>
          {notice && (
            <div
              role="alert"
              className="mb-4 flex flex-wrap items-center gap-3 rounded-md border border-red-300 bg-red-50 px-4 py-2 text-sm text-red-900"
              data-testid="wizard-notice"
            >
              <span className="flex-1">{notice.text}</span>
              {notice.retry !== undefined && notice.retry === step && (
                <button
                  type="button"
                  className="btn"
                  disabled={checking}
                  onClick={() => void next()}
                  data-testid="wizard-retry"
                >
                  {t("common.retry")}
                </button>
              )}
            </div>
          )}

          {step === 0 && <BasicStep form={form} setForm={setForm} />}
          {step === 1 && <ServiceStep form={form} setForm={setForm} services={services} />}
          {step === 2 && <VersionStep form={form} setForm={setForm} />}
          {step === 3 && <LazyTrafficStep form={form} setForm={setForm} versions={selectedService?.versions ?? []} />}
          {step === REVIEW &&
            (allVerified ? (
              <LazyReviewStep preview={preview} onRetry={retryPreview} />
            ) : (
              <ReviewBlocked statuses={statuses} title={stepTitle} onGo={show} />
            ))}
          <UnplacedErrors step={step} stepOf={stepOfPath} />
          <PermissionNote can={canChange} place="wizard" id={noteId} className="mt-6" />

          <div className="mt-8 flex items-center justify-between border-t border-slate-200 pt-4">
            <button
              type="button"
              className="btn"
              disabled={step === 0 || create.isPending}
              onClick={() => show(step - 1)}
              data-testid="wizard-back"
            >
              ← {t("wizard.back")}
            </button>
            {step < REVIEW ? (
              <div className="flex items-center gap-2">
                {blocked && (
                  <button
                    type="button"
                    className="btn"
                    disabled={checking}
                    onClick={() => void next()}
                    data-testid="wizard-recheck"
                  >
                    {t("wizard.checkAgain")}
                  </button>
                )}
                <button
                  type="submit"
                  className="btn btn-primary"
                  disabled={checking || blocked}
                  aria-busy={checking || undefined}
                  data-busy={checking ? "true" : undefined}
                  data-testid="wizard-next"
                >
                  {checking ? t("wizard.checking") : `${t("wizard.next")} →`}
                </button>
              </div>
            ) : (
              <button
                type="button"
                className="btn btn-primary"
                disabled={!canCreate}
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

interface StepListProps {
  statuses: readonly StepStatus[];
  step: number;
  furthest: number;
  /** While the server is asked, the user stays on the step. */
  locked: boolean;
  onGo: (step: number) => void;
  title: (step: number) => string;
}

/** The progress list: ✓ for a step the server checked as it now is, ! for one it found a problem in. */
function StepList({ statuses, step, furthest, locked, onGo, title }: StepListProps) {
  const t = useT();
  return (
    <nav aria-label={t("wizard.progress")}>
      <ol className="space-y-1" data-testid="wizard-steps">
        {STEPS.map((s, i) => {
          const status = statuses[i];
          const current = i === step;
          const state = current ? "current" : status === "error" ? "error" : status === "verified" ? "done" : "todo";
          const ring =
            status === "error"
              ? "border-red-600 bg-red-600 text-white"
              : status === "verified"
                ? "border-emerald-600 bg-emerald-600 text-white"
                : current
                  ? "border-white"
                  : "border-slate-400";
          return (
            <li key={s}>
              <button
                type="button"
                disabled={current || i > furthest || locked}
                onClick={() => onGo(i)}
                aria-current={current ? "step" : undefined}
                data-testid={`wizard-step-${i + 1}`}
                data-state={state}
                data-status={status}
                className={`flex w-full items-center gap-3 rounded-md px-3 py-2 text-left text-sm ${current ? "bg-sky-700 font-medium text-white" : status === "error" ? "text-red-800 hover:bg-red-50" : i <= furthest ? "text-slate-800 hover:bg-slate-200" : "text-slate-500"}`}
              >
                <span
                  className={`flex size-6 shrink-0 items-center justify-center rounded-full border text-xs ${ring}`}
                  aria-hidden
                  data-testid={`wizard-step-${i + 1}-mark`}
                >
                  {status === "error" ? "!" : status === "verified" ? "✓" : i + 1}
                </span>
                {title(i)}
                {status && <span className="sr-only">({t(`wizard.stepStatus.${status}`)})</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/** The review, reached from the progress list before every step passed its check. */
function ReviewBlocked({
  statuses,
  title,
  onGo,
}: {
  statuses: readonly StepStatus[];
  title: (step: number) => string;
  onGo: (step: number) => void;
}) {
  const t = useT();
  return (
    <div
      className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
      data-testid="review-blocked"
    >
      <p className="font-medium">{t("wizard.reviewBlocked")}</p>
      <ul className="mt-2 space-y-1">
        {statuses.map((s, i) =>
          s === "verified" ? null : (
            <li key={i}>
              <button
                type="button"
                className="underline"
                onClick={() => onGo(i)}
                data-testid={`review-blocked-step-${i + 1}`}
              >
                {t("wizard.goToStep", { n: i + 1, title: title(i) })}
              </button>{" "}
              ({t(`wizard.stepStatus.${s}`)})
            </li>
          ),
        )}
      </ul>
    </div>
  );
}
