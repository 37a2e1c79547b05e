#!/usr/bin/env bash
# `npm test`: set up what is missing, then run every tier and fail if any test fails.
#   1. unit         Biome (format + lint), tsc, vitest: pure logic, no cluster
#   2. integration  vitest against the real local cluster + the console over HTTP
#                   (SQLite-backed server), plus the DB suite on SQLite AND PostgreSQL
#   3. e2e          Playwright in Debian's /usr/bin/chromium against the same server
# Leaves no process running that it started.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"
start=$SECONDS
tlog() { printf '\n[test] %s\n' "$*" >&2; }

bash dev/scripts/setup.sh || { echo "[test] setup failed" >&2; exit 1; }

mkdir -p .local/logs .local/test
services_state=.local/test/services.started
server_pid=""
cleanup() {
  trap '' INT TERM
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  bash dev/scripts/services.sh stop "$services_state" || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A result
run_tier() { # name command...
  local name=$1; shift
  tlog "── $name ──"
  if "$@"; then result[$name]=passed; else result[$name]=FAILED; fi
}

# biome ci: formatting and lint rules (biome.jsonc) first, so an unformatted file fails fast.
unit_tier() { biome ci . && tsc --noEmit -p tsconfig.json && vitest run --project unit; }
run_tier unit unit_tier

tlog "starting the local environment (cluster, Prometheus, mesh simulator)"
if ! bash dev/scripts/services.sh start "$services_state"; then
  echo "[test] the local environment did not start; see .local/logs/" >&2; exit 1
fi
export KUBECONFIG=$root/.local/kubeconfig
export PROMETHEUS_URL=${PROMETHEUS_URL:-http://127.0.0.1:${GC_PROMETHEUS_PORT:-9090}}

# shellcheck source=lib/build-console.sh
source dev/scripts/lib/build-console.sh
build_console || exit 1

# The shared test console (and the extra consoles tests start, which inherit this) runs without
# sign-in, explicitly; the sign-in tests start their own consoles in token, oidc and proxy mode.
export GC_AUTH=none
port=${GC_TEST_PORT:-3100}
rm -f .local/test/console.db*
GC_LEADER_LEASE=gray-console-test DATABASE_URL="file:$root/.local/test/console.db" next start -H 127.0.0.1 -p "$port" > .local/logs/test-server.log 2>&1 &
server_pid=$!
export GC_BASE_URL=http://127.0.0.1:$port
for _ in $(seq 1 120); do curl -fsS "$GC_BASE_URL/api/health" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$GC_BASE_URL/api/health" >/dev/null || { tail -30 .local/logs/test-server.log >&2; echo "[test] console did not start" >&2; exit 1; }

export GC_TEST_POSTGRES_URL=${GC_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}

run_tier integration vitest run --project integration
run_tier e2e playwright test

failed=0 passed=0
tlog "summary ($((SECONDS - start)) s)"
for tier in unit integration e2e; do
  printf '  %-12s %s\n' "$tier" "${result[$tier]:-not run}" >&2
  if [ "${result[$tier]:-}" = passed ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "tiers: $passed passed, $failed failed"
[ "$failed" = 0 ]
