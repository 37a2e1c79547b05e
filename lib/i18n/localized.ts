// A message that travels as a catalog key plus parameters: the server renders it in English
// for `message` (scripts read that), the UI renders it again from the reader's catalog. PURE.
import { interpolate, type MessageVars } from "./format";
import { errorsEn, type ErrorKey } from "./messages/errors-en";
import { resolveParams } from "./params";

export { resolveParams };

export interface Localized {
  key: ErrorKey;
  params: MessageVars;
  /**
   * The request field the message is about, when it is one: the message is then what follows
   * "<path>: " (the UI puts it beside that field, or prefixes the path itself).
   */
  path?: string;
}

export function localized(key: ErrorKey, params: MessageVars = {}): Localized {
  return { key, params };
}

/** `m` about the field `path`. */
export function atPath(path: string, m: Localized): Localized {
  return { ...m, path };
}

export function isErrorKey(key: string): key is ErrorKey {
  return Object.hasOwn(errorsEn, key);
}

/** The English text of `m`, from errors-en (without its path). */
export function english(m: Localized): string {
  return render(errorsEn, m);
}

/** The English message as the API sends it: "<path>: <text>" for a field, else the text. */
export function englishMessage(m: Localized): string {
  return m.path ? `${m.path}: ${english(m)}` : english(m);
}

/** `m` rendered from `catalog` (a whole UI catalog or errors-en); an unknown key renders as undefined. */
export function renderFrom(
  catalog: Record<string, string>,
  m: { key: string; params?: MessageVars },
): string | undefined {
  const text = catalog[m.key];
  if (text === undefined) return undefined;
  return interpolate(
    text,
    resolveParams(m.params ?? {}, (k) => catalog[k]),
  );
}

function render(catalog: Record<string, string>, m: Localized): string {
  return renderFrom(catalog, m) ?? m.key;
}
