// An operation's steps (sent as data, lib/release/ops.ts) in the reader's language. PURE.
import type { StepView } from "@/lib/api/contracts";
import type { Translate } from "@/lib/i18n/format";

export function stepText(s: StepView, t: Translate): string {
  switch (s.op) {
    case "create":
    case "replace":
    case "delete":
      return t(`operation.op.${s.op}`, { kind: s.kind, name: s.name });
    case "scale":
      return t("operation.op.scale", { kind: s.kind, name: s.name, from: s.from, to: s.to });
    case "waitReady":
      return t("operation.op.waitReady", { deployment: s.deployment, replicas: s.replicas });
    case "drain":
      return t("operation.op.drain", { version: s.version, seconds: s.seconds });
  }
}
