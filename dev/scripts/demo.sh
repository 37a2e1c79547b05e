#!/usr/bin/env bash
# `npm run demo`: everything from a fresh clone to a console on http://localhost:3000 with
# Bookinfo, live traffic and charts. Ctrl-C stops everything this script started.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"
port=${PORT:-3000}

bash dev/scripts/setup.sh
mkdir -p .local/logs
state=.local/demo.started
server_pid=""
cleanup() {
  trap - EXIT INT TERM
  echo "[demo] stopping…" >&2
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  bash dev/scripts/services.sh stop "$state" || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash dev/scripts/services.sh start "$state"
export KUBECONFIG=$root/.local/kubeconfig
export PROMETHEUS_URL=${PROMETHEUS_URL:-http://127.0.0.1:${GC_PROMETHEUS_PORT:-9090}}

# shellcheck source=lib/build-console.sh
source dev/scripts/lib/build-console.sh
build_console
# Migrations run when the server starts (instrumentation.ts); the DB is .local/console.db
# unless DATABASE_URL says otherwise.
next start -p "$port" > >(tee -a .local/logs/console.log) 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break; sleep 0.5; done
cat >&2 <<MSG

  gray-console is running:  http://localhost:$port
  kubeconfig:               $KUBECONFIG   (kubectl: .cache/bin/kubectl --kubeconfig $KUBECONFIG)
  Prometheus:               $PROMETHEUS_URL
  Bookinfo product page:    http://127.0.0.1:${GC_MESH_SIM_PORT:-15090}/productpage
  logs:                     .local/logs/

  Ctrl-C stops everything this command started.
MSG
wait "$server_pid"
