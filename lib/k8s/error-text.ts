// What a Kubernetes failure means, as a catalog message: the cluster's own words (`message`)
// inside a sentence of ours. The API answers with it (lib/api/errors) and a task read that could
// not reach the cluster shows it (lib/tasks/read-model clusterErrorText). PURE.
import { localized, type Localized } from "@/lib/i18n/localized";
import type { K8sError } from "./errors";

export function k8sErrorText(err: K8sError): Localized {
  const message = { message: err.message };
  switch (err.kind) {
    case "unreachable":
    case "timeout":
      return localized("err.k8s.unreachable", message);
    case "not_found":
      return localized("err.k8s.notFound", message);
    case "conflict":
      return localized("err.k8s.conflict", message);
    case "invalid":
    case "forbidden":
      return localized("err.k8s.rejected", message);
    case "denied":
      return localized("err.k8s.denied", message);
    case "unauthorized":
      return localized("err.k8s.unauthorized", message);
    default:
      return localized("err.k8s.other", message);
  }
}
