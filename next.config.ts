import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The Kubernetes client and database drivers run only on the server; keep them
  // out of the bundler so their native/optional deps resolve at runtime.
  serverExternalPackages: [
    "@kubernetes/client-node",
    "@libsql/client",
    "@prisma/adapter-libsql",
    "@prisma/adapter-pg",
    "pg",
  ],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
