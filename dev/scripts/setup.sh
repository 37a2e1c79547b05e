#!/usr/bin/env bash
# Everything a fresh clone needs before the console can run or be tested; idempotent and
# fast when warm. Sourced by demo.sh and test.sh (and usable alone: bash dev/scripts/setup.sh).
#   - Debian packages: openssl, curl (certificates), jq (dev/scripts/idp.sh), prometheus, chromium (browser tests), CJK fonts
#   - npm dependencies (npm ci) and the generated Prisma clients
#   - the Go-built control plane (etcd, kube-*, kwok), cached in ~/.cache/gray-console
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
slog() { printf '[setup] %s\n' "$*" >&2; }

APT_PACKAGES=(openssl curl jq prometheus chromium fonts-wqy-microhei)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then
    slog "installing Debian packages: ${missing[*]}"
    # policy-rc.d keeps the packages from starting system-wide services (prometheus on :9090):
    # we run our own instances.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' RETURN 2>/dev/null || true
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >&2
    rm -f /usr/sbin/policy-rc.d
  else
    slog "missing Debian packages: ${missing[*]}. Run as root:"
    echo "  sudo sh -c '$cmd'" >&2
    exit 1
  fi
fi

command -v go >/dev/null || { slog "Go 1.25+ is required to build the local control plane (https://go.dev/dl)"; exit 1; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { slog "Node.js 20.19+ is required (found $(node --version))"; exit 1; }

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  slog "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund >&2
fi
if [ ! -f lib/db/generated/sqlite/client.ts ] || [ ! -f lib/db/generated/postgresql/client.ts ] \
   || [ prisma/schema.prisma -nt lib/db/generated/sqlite/client.ts ] || [ prisma/postgresql/schema.prisma -nt lib/db/generated/postgresql/client.ts ]; then
  npm run -s db:generate >&2
fi

bash dev/scripts/build-bins.sh
