# syntax=docker/dockerfile:1
# The console as a container image for deploy/helm/gray-console: Next.js standalone output on
# Debian's slim Node image, run as an unprivileged user on a read-only root filesystem.
# This image has not been built on the machines the repository is developed on (no Docker
# engine there); the standalone server it packages is tested by
# test/integration/standalone.int.test.ts, laid out exactly as the runtime stage below.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
# The postinstall step (Prisma client generation) needs the schemas: the build stage runs it.
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /src/node_modules ./node_modules
COPY . .
RUN npm run -s db:generate && npx next build

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
# A numeric uid, so the kubelet can check runAsNonRoot (the chart's podSecurityContext uses it).
RUN groupadd --system --gid 10001 console \
 && useradd --system --uid 10001 --gid console --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin console
# server.js with the files the build traced from it (node_modules, and prisma/migrations, which
# lib/db/migrate.ts reads at start); Next never copies the static assets into the standalone
# folder, so they come separately. All owned by root:
# the console cannot rewrite its own code.
COPY --from=build /src/.next/standalone ./
COPY --from=build /src/.next/static ./.next/static
# The only places written at run time; the chart mounts volumes over both.
RUN mkdir -p /app/.next/cache /data && chown console:console /app/.next/cache /data
USER 10001:10001
EXPOSE 3000
CMD ["node", "server.js"]
