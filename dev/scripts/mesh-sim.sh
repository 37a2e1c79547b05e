#!/usr/bin/env bash
# The local mesh traffic simulator (dev/mesh-sim): synthetic Bookinfo load routed from the
# live VirtualServices/DestinationRules/pods, exposing Istio's metrics on /metrics.
#
#   mesh-sim.sh start [ARGS...]  start in the background (ARGS go to dev/mesh-sim/main.ts,
#                                e.g. --rps 200 --namespaces bookinfo); waits for /healthz
#   mesh-sim.sh stop             stop the instance we started (pid file)
#   mesh-sim.sh status           exit 0 if it runs and answers /healthz, 3 otherwise
#
# Environment: GC_MESH_SIM_PORT (default 15090), GC_MESH_SIM_RPS (default 50).
# Pid file .local/mesh-sim.pid, log .local/logs/mesh-sim.log.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${GC_MESH_SIM_PORT:-15090}
RPS=${GC_MESH_SIM_RPS:-50}
PIDFILE=$root/.local/mesh-sim.pid
LOG=$root/.local/logs/mesh-sim.log
URL=http://127.0.0.1:$PORT

NAME=mesh-sim
# shellcheck source=lib/daemon.sh
source "$root/dev/scripts/lib/daemon.sh"
log() { daemon_log "$@"; }
# The pid must still be OUR node process, not a recycled pid.
daemon_owns() { grep -q "dev/mesh-sim/main.ts" "/proc/$1/cmdline" 2>/dev/null; }
daemon_healthy() { curl -fsS --max-time 2 "$URL/healthz" >/dev/null 2>&1; }
running_pid() { daemon_running_pid; }
healthy() { daemon_healthy; }

start() {
  if pid=$(running_pid); then
    log "already running (pid $pid) on $URL"
    return 0
  fi
  if healthy; then
    log "something else already answers on $URL; set GC_MESH_SIM_PORT"
    return 1
  fi
  mkdir -p "$(dirname "$LOG")"
  cd "$root"
  # GC_MESH_SIM_BEHAVIOUR: run on a fresh copy of the behaviour file (npm test does), so the
  # overlays tests write for their own namespaces never touch the tracked dev/mesh-sim/behaviour.json.
  local behaviour=()
  if [ -n "${GC_MESH_SIM_BEHAVIOUR:-}" ]; then
    mkdir -p "$(dirname "$GC_MESH_SIM_BEHAVIOUR")"
    cp dev/mesh-sim/behaviour.json "$GC_MESH_SIM_BEHAVIOUR"
    behaviour=(--behaviour "$GC_MESH_SIM_BEHAVIOUR")
  fi
  # node --import tsx (not npx tsx): one process, so the pid file names the process to stop.
  # daemon_spawn: the simulator must outlive the shell that started it.
  daemon_spawn "$LOG" node --import tsx dev/mesh-sim/main.ts --port "$PORT" --rps "$RPS" ${behaviour[@]+"${behaviour[@]}"} "$@" || return 1
  daemon_wait_healthy 60 || return 1
  log "running (pid $(cat "$PIDFILE")) on $URL — /metrics, /healthz, /productpage"
}

stop() { daemon_stop 50; }

status() { daemon_status; }

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  start) start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [ARGS...] | stop | status" >&2; exit 2 ;;
esac
