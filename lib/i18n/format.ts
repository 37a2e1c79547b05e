// Message lookup and locale-aware formatting. PURE: used by the server `t()` and the client
// `useT()` alike, so both render identical strings.
import type { Locale } from "./config";
import type { MessageKey, Messages } from "./messages/en";

export type MessageVars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: MessageVars) => string;

const PLACEHOLDER = /\{(\w+)\}/g;

/** Placeholder names used in a message, e.g. "{n} of {total}" -> ["n", "total"]. */
export function placeholders(message: string): string[] {
  return [...message.matchAll(PLACEHOLDER)].map((m) => m[1] ?? "").sort();
}

/**
 * Fills `{name}` placeholders. A placeholder without a value stays visible as `{name}`
 * rather than disappearing, so a missing argument is noticed on screen.
 */
export function interpolate(message: string, vars: MessageVars | undefined): string {
  if (!vars) return message;
  return message.replace(PLACEHOLDER, (whole, name: string) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
}

export function makeTranslate(messages: Messages): Translate {
  // An unknown key (only possible through a cast) falls back to the key itself: visible, not fatal.
  return (key, vars) => interpolate(messages[key] ?? key, vars);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

/** "3 minutes ago" / "3分钟前"; null input or an unparsable date gives "—". */
export function formatRelative(iso: string | null | undefined, locale: Locale, now: number = Date.now()): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "—";
  const seconds = Math.round((t - now) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (abs >= size || unit === "second") return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(seconds, "second");
}

/** Compact age like kubectl prints it: 45s, 12m, 3h, 5d. */
export function formatAge(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "—";
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "—";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" }).format(t);
}
