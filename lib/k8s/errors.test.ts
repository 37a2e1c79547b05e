import { describe, expect, it } from "vitest";
import { toK8sError } from "./errors";

const apiException = (code: number, message: string) => ({
  code,
  body: JSON.stringify({ kind: "Status", message, code }),
});

describe("classifying what the apiserver answered", () => {
  it("an RBAC refusal (the authorizer's wording) is 'denied', an admission refusal stays 'forbidden'", () => {
    const rbac = toK8sError(
      apiException(
        403,
        'virtualservices.networking.istio.io "reviews" is forbidden: User "system:serviceaccount:bookinfo:viewer" cannot update resource "virtualservices" in API group "networking.istio.io" in the namespace "bookinfo"',
      ),
    );
    expect(rbac.kind).toBe("denied");
    const quota = toK8sError(
      apiException(
        403,
        'deployments.apps "reviews-v2" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=4, limited: pods=4',
      ),
    );
    expect(quota.kind).toBe("forbidden");
  });

  it("401 (a token the apiserver no longer accepts) is 'unauthorized'", () => {
    expect(toK8sError(apiException(401, "Unauthorized")).kind).toBe("unauthorized");
  });
});
