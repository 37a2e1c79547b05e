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
  // re2js (~60 kB gzip) validates Istio regexes on the server; the browser bundle gets a no-op
  // (the wizard's server check of each step runs the real parser): keeps the wizard under budget.
  turbopack: {
    resolveAlias: {
      "./re2/compile": { browser: "./lib/release/re2/compile-browser.ts" },
    },
  },
  // The container image (Dockerfile) runs .next/standalone/server.js: the server plus only
  // the node_modules files it traces. `next start` (the demo and the tests) still works on
  // the same build; it only logs that standalone output is meant for server.js.
  output: "standalone",
  typedRoutes: false,
  // The build checks the application; tests and benchmarks are checked by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.build.json" },
};

export default nextConfig;
