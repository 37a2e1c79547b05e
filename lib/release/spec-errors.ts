// Turning zod issues into the API's 400 body: each offending field with its path, its English
// message and its catalog key + params for the UI. PURE.
import type { z } from "zod";
import { english, isErrorKey, localized, type Localized } from "@/lib/i18n/localized";
import type { MessageVars } from "@/lib/i18n/format";

/** One offending field: `message` is English; `key` + `params` say it from the catalogs. */
export interface FieldError {
  path: string;
  message: string;
  key?: string;
  params?: MessageVars;
}

/** `["traffic","weights","v1"]` -> `traffic.weights.v1`; `["env",0,"name"]` -> `env[0].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

const OUR_MESSAGE = /^(err\.[A-Za-z0-9.-]+)(\{.*\})?$/s;

/** A message built with msg(): its key and params; null for zod's own wording. */
function ourText(issue: z.core.$ZodIssue): Localized | null {
  const m = OUR_MESSAGE.exec(issue.message);
  const key = m?.[1];
  if (!m || key === undefined || !isErrorKey(key)) return null;
  const custom = issue.code === "custom" && issue.params ? (issue.params as MessageVars) : {};
  return localized(key, { ...(m[2] ? (JSON.parse(m[2]) as MessageVars) : {}), ...custom });
}

const TYPE_WORDS = new Set(["string", "number", "int", "boolean", "object", "array", "undefined", "null"]);
/** `expectedKey: "err.word.type.number"` for a type the catalog names, else the raw name. */
function typeParam(name: string, type: string | undefined): MessageVars {
  if (type === undefined) return { [name]: "?" };
  return TYPE_WORDS.has(type) ? { [`${name}Key`]: `err.word.type.${type}` } : { [name]: type };
}

const SIZED: Record<string, "string" | "array" | "number"> = {
  string: "string",
  array: "array",
  set: "array",
  number: "number",
  int: "number",
  bigint: "number",
};

/** Catalog key + params for zod's own issue codes (their English stays zod's `message`). */
function zodText(issue: z.core.$ZodIssue): Localized {
  switch (issue.code) {
    case "invalid_type":
      return localized("err.zod.invalidType", {
        ...typeParam("expected", issue.expected),
        ...typeParam("received", / received (\S+)$/.exec(issue.message)?.[1]),
      });
    case "invalid_value":
      return localized("err.zod.invalidValue", { values: issue.values.map((v) => JSON.stringify(v)).join("|") });
    case "too_big": {
      const sized = SIZED[issue.origin];
      return sized
        ? localized(`err.zod.tooBig.${sized}`, { maximum: Number(issue.maximum) })
        : localized("err.zod.invalid");
    }
    case "too_small": {
      const sized = SIZED[issue.origin];
      return sized
        ? localized(`err.zod.tooSmall.${sized}`, { minimum: Number(issue.minimum) })
        : localized("err.zod.invalid");
    }
    case "invalid_format":
      if (issue.format === "starts_with")
        return localized("err.zod.startsWith", { prefix: String((issue as { prefix?: string }).prefix ?? "") });
      return issue.format === "regex"
        ? localized("err.zod.invalidFormat", { pattern: String(issue.pattern ?? "") })
        : localized("err.zod.invalid");
    case "not_multiple_of":
      return localized("err.zod.notMultipleOf", { divisor: Number(issue.divisor) });
    case "invalid_union": {
      const options = (issue as { options?: unknown[] }).options;
      return Array.isArray(options) && options.length > 0
        ? localized("err.zod.invalidDiscriminator", { options: options.map((o) => `'${String(o)}'`).join(" | ") })
        : localized("err.zod.invalid");
    }
    default:
      return localized("err.zod.invalid");
  }
}

/** One issue as a field error: our messages rendered in English, zod's kept as zod words them. */
function fieldErrorOfIssue(path: string, issue: z.core.$ZodIssue): FieldError {
  const ours = ourText(issue);
  const text = ours ?? zodText(issue);
  return { path, message: ours ? english(ours) : issue.message, key: text.key, params: text.params };
}

/**
 * The API's 400 body: `message` starts with the first offending field's path; `text` is that
 * field's message as catalog key + params (+ path), for the UI.
 */
export function formatZodError(err: z.ZodError): { message: string; details: FieldError[]; text: Localized } {
  const details: FieldError[] = [];
  const visit = (issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]) => {
    for (const issue of issues) {
      const path = [...prefix, ...issue.path];
      // Unions report one nested issue list per alternative; the first alternative's reasons
      // are more useful than "Invalid input".
      if (issue.code === "invalid_union" && issue.errors.length > 0 && issue.errors[0] && issue.errors[0].length > 0) {
        visit(issue.errors[0], path);
        continue;
      }
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys)
          details.push({
            path: formatPath([...path, key]),
            message: english(localized("err.zod.unknownField")),
            key: "err.zod.unknownField",
            params: {},
          });
        continue;
      }
      if (issue.code === "invalid_key" && issue.issues.length > 0) {
        const first = issue.issues[0];
        const inner = first ? fieldErrorOfIssue(formatPath(path), first) : fieldErrorOfIssue(formatPath(path), issue);
        details.push({ ...inner, message: `invalid key: ${inner.message}` });
        continue;
      }
      details.push(fieldErrorOfIssue(formatPath(path), issue));
    }
  };
  visit(err.issues, []);
  const first = details[0];
  const message = first
    ? first.path
      ? `${first.path}: ${first.message}`
      : first.message
    : english(localized("err.zod.invalidRequest"));
  const text: Localized =
    first?.key && isErrorKey(first.key)
      ? { key: first.key, params: first.params ?? {}, ...(first.path ? { path: first.path } : {}) }
      : localized("err.zod.invalidRequest");
  return { message, details, text };
}
