// Renders a server error in the reader's language: from its catalog key + params when the
// server sent them and this catalog knows the key, else the server's English message. PURE.
import type { Translate } from "./format";
import type { MessageKey } from "./messages/en";
import { resolveParams } from "./params";

interface Keyed {
  key?: string;
  params?: Record<string, string | number>;
  /** The request field the message is about (the text is what follows "<path>: "). */
  path?: string;
}

function lookup(t: Translate, key: string): string | undefined {
  const text = t(key as MessageKey);
  return text === key ? undefined : text;
}

/** `m` from the catalog behind `t`, or undefined when it has no key or the catalog lacks it. */
export function keyedText(m: Keyed | null | undefined, t: Translate): string | undefined {
  if (!m?.key || lookup(t, m.key) === undefined) return undefined;
  return t(
    m.key as MessageKey,
    resolveParams(m.params ?? {}, (k) => lookup(t, k)),
  );
}

/** An ApiError (or any Error) as the reader should see it; a field's message names the field first. */
export function errorText(err: unknown, t: Translate): string {
  const text = (err as { text?: Keyed | null } | null)?.text;
  const said = keyedText(text, t);
  if (said === undefined) return err instanceof Error ? err.message : String(err);
  return text?.path ? t("err.atPath", { path: text.path, message: said }) : said;
}

/** A field error's text (the part after the path). */
export function fieldErrorText(fe: Keyed & { message: string }, t: Translate): string {
  return keyedText(fe, t) ?? fe.message;
}
