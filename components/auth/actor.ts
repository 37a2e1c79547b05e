// Who did something, as history shows it. The console's own placeholder identities are words
// (said in the reader's language); every other actor is a name and stays as it is. PURE.
import type { Translate } from "@/lib/i18n/format";
import type { MessageKey } from "@/lib/i18n/messages/en";

// lib/auth/identity.ts ANONYMOUS, lib/tasks/reconciler.ts RECONCILER_ACTOR, lib/tasks/auto-advance.ts
// AUTO_ACTOR (server modules: their values are restated here rather than imported into the client).
const PLACEHOLDERS: Record<string, MessageKey> = {
  anonymous: "actor.anonymous",
  "system:reconciler": "actor.reconciler",
  "system:auto-advance": "actor.autoAdvance",
};

export function actorName(actor: string, t: Translate): string {
  const key = PLACEHOLDERS[actor];
  return key ? t(key) : actor;
}
