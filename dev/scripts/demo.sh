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
  # Finish stopping even if npm, or a second Ctrl-C, sends another signal meanwhile, and even
  # if a step fails (set -e would otherwise end the cleanup at the first kill of a gone pid).
  set +e
  trap '' INT TERM
  trap - EXIT
  echo "[demo] stopping…" >&2
  [ -n "${follow_pid:-}" ] && kill "$follow_pid" 2>/dev/null
  if [ -n "$server_pid" ]; then
    # The console runs in its own session (see below): stop its whole group, KILL after 10 s.
    kill -TERM -- "-$server_pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$server_pid" 2>/dev/null
  fi
  bash dev/scripts/services.sh stop "$state" || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash dev/scripts/services.sh start "$state"
export KUBECONFIG=$root/.local/kubeconfig
export PROMETHEUS_URL=${PROMETHEUS_URL:-http://127.0.0.1:${GC_PROMETHEUS_PORT:-9090}}

# shellcheck source=lib/build-console.sh
# Sign-in as a team would have it (GC_AUTH=token, Kiali's default): two demo users, bound to
# Kubernetes' own edit and view roles in bookinfo, with tokens printed below to paste.
kubectl_demo() { "$root/.cache/bin/kubectl" --kubeconfig "$KUBECONFIG" "$@"; }
demo_user() { # serviceaccount clusterrole
  kubectl_demo -n bookinfo create serviceaccount "$1" --dry-run=client -o yaml | kubectl_demo apply -f - >/dev/null
  kubectl_demo -n bookinfo create rolebinding "$1-$2" --clusterrole="$2" --serviceaccount="bookinfo:$1" --dry-run=client -o yaml | kubectl_demo apply -f - >/dev/null
  kubectl_demo -n bookinfo create token "$1" --duration=12h
}
operator_token=$(demo_user demo-operator edit)
viewer_token=$(demo_user demo-viewer view)
export GC_AUTH=${GC_AUTH:-token}
if [ -z "${GC_SESSION_SECRET:-}" ]; then
  [ -s .local/session-secret ] || openssl rand -base64 48 > .local/session-secret
  GC_SESSION_SECRET=$(cat .local/session-secret)
  export GC_SESSION_SECRET
fi

source dev/scripts/lib/build-console.sh
build_console
# Migrations run when the server starts (instrumentation.ts); the DB is .local/console.db
# unless DATABASE_URL says otherwise.
# Loopback only unless GC_HOST says otherwise (e.g. GC_HOST=0.0.0.0 to reach it from another machine).
# Its own session: a Ctrl-C (or npm forwarding one) reaches this script only, and the cleanup
# above stops the console deliberately instead of racing its own signal handling.
setsid next start -H "${GC_HOST:-127.0.0.1}" -p "$port" >> .local/logs/console.log 2>&1 < /dev/null &
server_pid=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break; sleep 0.5; done
cat >&2 <<MSG

  gray-console is running:  http://localhost:$port
  kubeconfig:               $KUBECONFIG   (kubectl: .cache/bin/kubectl --kubeconfig $KUBECONFIG)
  Prometheus:               $PROMETHEUS_URL
  Bookinfo product page:    http://127.0.0.1:${GC_MESH_SIM_PORT:-15090}/productpage
  logs:                     .local/logs/

  Sign in (GC_AUTH=$GC_AUTH) with one of these Kubernetes tokens (valid 12 h):
    operator, may change releases in bookinfo (ClusterRole edit):
$operator_token

    viewer, may only look (ClusterRole view):
$viewer_token

  Ctrl-C stops everything this command started.
MSG
tail -n 0 -f .local/logs/console.log &
follow_pid=$!
while kill -0 "$server_pid" 2>/dev/null; do sleep 1; done
echo "[demo] the console exited; see .local/logs/console.log" >&2
exit 1
