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

log() { printf '[mesh-sim] %s\n' "$*" >&2; }

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid=$(cat "$PIDFILE")
  # The pid must still be OUR node process, not a recycled pid.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q "dev/mesh-sim/main.ts" "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
    return 0
  fi
  return 1
}

healthy() { curl -fsS --max-time 2 "$URL/healthz" >/dev/null 2>&1; }

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
  # node --import tsx (not npx tsx): one process, so the pid file names the process to stop.
  # setsid: the simulator must outlive the shell that started it.
  setsid node --import tsx dev/mesh-sim/main.ts --port "$PORT" --rps "$RPS" "$@" >>"$LOG" 2>&1 < /dev/null &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + 60))
  until healthy; do
    if ! running_pid >/dev/null; then
      log "exited during startup; last log lines:"
      tail -n 20 "$LOG" >&2
      rm -f "$PIDFILE"
      return 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      log "not healthy after 60s (see $LOG)"
      return 1
    fi
    sleep 0.5
  done
  log "running (pid $(cat "$PIDFILE")) on $URL — /metrics, /healthz, /productpage"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    log "not running"
    rm -f "$PIDFILE"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "did not stop on SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  log "stopped (pid $pid)"
}

status() {
  local pid
  if pid=$(running_pid) && healthy; then
    echo "mesh-sim: running (pid $pid) on $URL"
    return 0
  fi
  if [ -n "${pid:-}" ]; then
    echo "mesh-sim: process $pid runs but $URL/healthz does not answer"
  else
    echo "mesh-sim: stopped"
  fi
  return 3
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  start) start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [ARGS...] | stop | status" >&2; exit 2 ;;
esac
