// Server messages (API errors and field errors), English: the reference, as in en.ts. The
// server renders `message` from here for scripts and sends `key` + `params` so the UI renders
// the same message from the reader's catalog (errors-zh-CN.ts). Kept apart from en.ts so the
// engine (lib/release), which builds these errors, does not pull the whole UI catalog in.
// Params are names, versions, numbers and paths; a param whose value is itself a word (an
// action, a kind) is passed as the key of an `err.word.*` message of this catalog under a name
// ending in `Key` (`actionKey: "err.word.action.retireOld"`), see lib/i18n/localized.ts.
export const errorsEn = {
  "err.internal": "internal error: see the server log",
} as const satisfies Record<string, string>;

export type ErrorKey = keyof typeof errorsEn;
