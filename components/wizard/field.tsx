"use client";
import { createContext, useContext, type ReactNode } from "react";
import { useT } from "@/lib/i18n/client";
import type { FieldErrors } from "./validate";

interface FieldContext {
  errors: FieldErrors;
  /** Paths whose errors some field on screen already shows (see UnplacedErrors). */
  placed: Set<string>;
}

export const WizardFieldContext = createContext<FieldContext>({ errors: {}, placed: new Set() });

/** DOM id for a spec path: "traffic.match[0].value" -> "f-traffic-match-0-value". */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "")}`;
}

export interface ControlProps {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
  "data-testid": string;
}

/** The error for `path`, marked as shown so the step's catch-all list skips it. */
export function useFieldError(path: string): string | undefined {
  const ctx = useContext(WizardFieldContext);
  ctx.placed.add(path);
  return ctx.errors[path];
}

export function FieldErrorText({ path, message }: { path: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={`${fieldId(path)}-error`} className="field-error" data-testid={`field-error-${path}`} role="alert">
      {message}
    </p>
  );
}

/** A section-level message for a path no single control owns ("traffic", "traffic.variants"). */
export function PathError({ path }: { path: string }) {
  const message = useFieldError(path);
  return <FieldErrorText path={path} message={message} />;
}

interface FieldProps {
  path: string;
  label: ReactNode;
  hint?: ReactNode;
  /** Shown as a badge: the value was copied from the base version. */
  inherited?: string | null;
  className?: string;
  children: (props: ControlProps) => ReactNode;
}

/** Label + control + hint + the error the API/schema reported for `path`, beside the field. */
export function Field({ path, label, hint, inherited, className, children }: FieldProps) {
  const t = useT();
  const error = useFieldError(path);
  const id = fieldId(path);
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="label flex items-center gap-2">
        <span>{label}</span>
        {inherited && (
          <span
            className="rounded bg-violet-100 px-1.5 py-0.5 text-[11px] font-medium text-violet-800"
            data-testid={`inherited-${path}`}
          >
            {t("wizard.inherited", { version: inherited })}
          </span>
        )}
      </label>
      {children({
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy,
        "data-testid": `field-${path}`,
      })}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldErrorText path={path} message={error} />
    </div>
  );
}

/** Errors of this step that no field on screen shows (must render after the step's fields). */
export function UnplacedErrors({ step, stepOf }: { step: number; stepOf: (path: string) => number }) {
  const t = useT();
  const ctx = useContext(WizardFieldContext);
  const rest = Object.entries(ctx.errors).filter(([path]) => stepOf(path) === step && !ctx.placed.has(path));
  if (rest.length === 0) return null;
  return (
    <div
      role="alert"
      className="mt-4 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900"
      data-testid="unplaced-errors"
    >
      <p className="font-medium">{t("wizard.otherProblems")}</p>
      <ul className="mt-1 list-disc pl-5">
        {rest.map(([path, message]) => (
          <li key={path} data-testid={`field-error-${path}`}>
            <span className="font-mono">{path || t("wizard.request")}</span>: {message}
          </li>
        ))}
      </ul>
    </div>
  );
}
