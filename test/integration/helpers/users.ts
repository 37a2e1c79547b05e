// Kubernetes users for the sign-in tests: a ServiceAccount bound to one of Kubernetes' user
// ClusterRoles (view, edit) in a namespace, with a token from the TokenRequest API (what
// `kubectl create token` does).
import * as k8s from "@kubernetes/client-node";

export interface TestUser {
  name: string;
  token: string;
  namespace: string;
  serviceAccount: string;
}

export async function createServiceAccountUser(
  kc: k8s.KubeConfig,
  namespace: string,
  serviceAccount: string,
  clusterRole: "view" | "edit" | null,
  bindIn: string[] = [namespace],
): Promise<TestUser> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: serviceAccount } } });
  if (clusterRole) {
    for (const ns of bindIn) {
      await rbac.createNamespacedRoleBinding({
        namespace: ns,
        body: {
          metadata: { name: `${serviceAccount}-${clusterRole}` },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
          subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace }],
        },
      });
    }
  }
  const tr = await core.createNamespacedServiceAccountToken({
    namespace,
    name: serviceAccount,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = tr.status?.token;
  if (!token) throw new Error(`no token for ${namespace}/${serviceAccount}`);
  return { name: `system:serviceaccount:${namespace}:${serviceAccount}`, token, namespace, serviceAccount };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Removes the ServiceAccount and its RoleBindings (for users made in a namespace the test does not delete). */
export async function deleteServiceAccountUser(
  kc: k8s.KubeConfig,
  user: TestUser,
  clusterRoles: string[] = ["view", "edit"],
  bindIn: string[] = [user.namespace],
): Promise<void> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  const gone = (err: unknown) => {
    if (!(err instanceof k8s.ApiException && err.code === 404)) throw err;
  };
  for (const ns of bindIn)
    for (const role of clusterRoles)
      await rbac.deleteNamespacedRoleBinding({ namespace: ns, name: `${user.serviceAccount}-${role}` }).catch(gone);
  await core.deleteNamespacedServiceAccount({ namespace: user.namespace, name: user.serviceAccount }).catch(gone);
}
