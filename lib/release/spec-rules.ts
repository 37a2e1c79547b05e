// The primitive rules of request schemas (zod v4): names, versions, images, quantities,
// environment, probes, annotation keys. PURE. Every message is a catalog key (errors-en.ts), so
// the API and the UI say it in the reader's language; spec-errors.ts renders it.
import { z } from "zod";
import { english, localized, type Localized } from "@/lib/i18n/localized";
import type { MessageVars } from "@/lib/i18n/format";
import type { ErrorKey } from "@/lib/i18n/messages/errors-en";
import { DNS1123_LABEL, DNS1123_LABEL_MAX, DNS1123_SUBDOMAIN, DNS1123_SUBDOMAIN_MAX } from "@/lib/names";

/**
 * A zod message that is a catalog key (errors-en.ts), its params appended as JSON: zod keeps a
 * message as one string, formatZodError splits it again and renders the English.
 */
export function msg(key: ErrorKey, params?: MessageVars): string {
  return params ? `${key}${JSON.stringify(params)}` : key;
}

/** A custom zod issue saying `text` at `path` (relative to the refined value). */
export function textIssue(text: Localized, path?: (string | number)[]): z.core.$ZodRawIssue {
  return { code: "custom", message: msg(text.key, text.params), input: undefined, ...(path ? { path } : {}) };
}

// ---------- primitive rules ----------

export const dnsLabel = z
  .string()
  .max(DNS1123_LABEL_MAX, { error: msg("err.spec.maxChars", { max: DNS1123_LABEL_MAX }) })
  .regex(DNS1123_LABEL, { error: msg("err.spec.dnsLabel") });

// A version label is any Kubernetes label value (Bookinfo has `v2-mysql`; releases say `v2.1`,
// `1.4.0-rc1`): what the console derives from it (Deployment name, DR subset name) is made a
// DNS-1123 label in lib/release/subsets.ts, so the label itself need not be one.
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export const versionRef = z
  .string()
  .min(1, { error: msg("err.spec.notEmpty") })
  .max(63, { error: msg("err.spec.maxChars", { max: 63 }) })
  .regex(LABEL_VALUE, { error: msg("err.spec.labelValue") });
/** The version of a NEW release: the same rule as any version label. */
export const newVersionLabel = versionRef;

// OCI / Docker image reference grammar (distribution/reference), anchored.
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const IMAGE_NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const IMAGE_TAG = "[\\w][\\w.-]{0,127}";
const IMAGE_DIGEST = "([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,})";
const IMAGE_REFERENCE = new RegExp(`^(${IMAGE_NAME})(?::(${IMAGE_TAG}))?(?:@${IMAGE_DIGEST})?$`);
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };

/**
 * The grammar lets a first component with capitals pass as a registry host (`UPPER/case:1`);
 * distribution's own tests keep that case as a FIXME (distribution/reference reference_test.go,
 * "Uppercase/lowercase:tag"). Docker takes the first component for a host only when it has a '.'
 * or ':' or is `localhost` (splitDockerDomain, distribution/reference normalize.go); anything else
 * is part of the repository, which must be lowercase.
 */
function uppercaseRepository(name: string): boolean {
  const slash = name.indexOf("/");
  if (slash < 0) return false;
  const first = name.slice(0, slash);
  const isHost = /[.:]/.test(first) || first === "localhost";
  return !isHost && first !== first.toLowerCase();
}

/** Why `ref` is not a valid image reference, or null when it is. */
export function imageReferenceIssue(ref: string): Localized | null {
  if (ref.length === 0) return localized("err.spec.notEmpty");
  if (/\s/.test(ref)) return localized("err.spec.image.whitespace");
  const m = IMAGE_REFERENCE.exec(ref);
  if (!m) return localized("err.spec.image.invalid");
  const name = m[1] ?? "";
  if (uppercaseRepository(name)) return localized("err.spec.image.uppercase");
  if (name.length > 255) return localized("err.spec.image.tooLong");
  const algorithm = m[3];
  const hex = m[4];
  if (algorithm && hex) {
    const expected = DIGEST_HEX_LENGTH[algorithm];
    if (expected !== undefined && hex.length !== expected)
      return localized("err.spec.image.digestLength", { algorithm, length: expected });
  }
  return null;
}
/** imageReferenceIssue in English. */
export function imageReferenceProblem(ref: string): string | null {
  const issue = imageReferenceIssue(ref);
  return issue ? english(issue) : null;
}
export const imageReference = z.string().superRefine((v, ctx) => {
  const issue = imageReferenceIssue(v);
  if (issue) ctx.addIssue(textIssue(issue));
});

// Kubernetes resource.Quantity (non-negative: requests/limits cannot be negative).
const QUANTITY = /^(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
const quantity = z
  .union([z.string(), z.number().nonnegative()])
  .transform((v) => String(v))
  .refine((v) => QUANTITY.test(v), { error: msg("err.spec.quantity") });
const resourceList = z.object({ cpu: quantity.optional(), memory: quantity.optional() }).strict();
export const resources = z.object({ requests: resourceList.optional(), limits: resourceList.optional() }).strict();

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const envName = z.string().regex(ENV_NAME, { error: msg("err.spec.envName") });
const keyRef = z.object({ name: dnsSubdomain(), key: z.string().min(1, { error: msg("err.spec.notEmpty") }) }).strict();
function dnsSubdomain() {
  return z
    .string()
    .max(DNS1123_SUBDOMAIN_MAX)
    .regex(DNS1123_SUBDOMAIN, { error: msg("err.spec.dnsSubdomain") });
}
export const envVar = z.union([
  z.object({ name: envName, value: z.string() }).strict(),
  z.object({ name: envName, secretKeyRef: keyRef }).strict(),
  z.object({ name: envName, configMapKeyRef: keyRef }).strict(),
]);

const port = z.union([
  z
    .number()
    .int()
    .min(1, { error: msg("err.spec.port") })
    .max(65535, { error: msg("err.spec.port") }),
  z
    .string()
    .regex(DNS1123_LABEL, { error: msg("err.spec.namedPort") })
    .max(15),
]);
export const probe = z
  .object({
    httpGet: z
      .object({ path: z.string().startsWith("/", { error: msg("err.spec.startsWithSlash") }), port })
      .strict()
      .optional(),
    tcpSocket: z.object({ port }).strict().optional(),
    exec: z
      .object({ command: z.array(z.string()).min(1, { error: msg("err.spec.atLeastOneElement") }) })
      .strict()
      .optional(),
    initialDelaySeconds: z.number().int().min(0).optional(),
    periodSeconds: z.number().int().min(1).optional(),
    timeoutSeconds: z.number().int().min(1).optional(),
    failureThreshold: z.number().int().min(1).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const handlers = [p.httpGet, p.tcpSocket, p.exec].filter((h) => h !== undefined).length;
    if (handlers !== 1) ctx.addIssue(textIssue(localized("err.spec.probeHandler")));
  });

// Kubernetes annotation keys: [prefix/]name, prefix a DNS-1123 subdomain (<= 253), name a
// qualified name (<= 63: alphanumerics, '-', '_', '.', starting and ending alphanumeric).
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** Why `key` is not a Kubernetes annotation key, or null when it is. */
export function annotationKeyIssue(key: string): Localized | null {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null && (prefix.length > DNS1123_SUBDOMAIN_MAX || !DNS1123_SUBDOMAIN.test(prefix)))
    return localized("err.spec.annotationPrefix", { name: JSON.stringify(key) });
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name))
    return localized("err.spec.annotationName", { name: JSON.stringify(key) });
  return null;
}
/** annotationKeyIssue in English. */
export function annotationKeyProblem(key: string): string | null {
  const issue = annotationKeyIssue(key);
  return issue ? english(issue) : null;
}
export const annotationKey = z.string().superRefine((k, ctx) => {
  const issue = annotationKeyIssue(k);
  if (issue) ctx.addIssue(textIssue(issue));
});
