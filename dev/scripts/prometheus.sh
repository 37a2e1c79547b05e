#!/usr/bin/env bash
# Our own Prometheus for local development (Debian's package), scraping the mesh simulator.
# The console finds it through PROMETHEUS_URL (default http://127.0.0.1:9090).
#
#   prometheus.sh start    install if missing, start on 127.0.0.1:$GC_PROMETHEUS_PORT, wait for /-/ready
#   prometheus.sh stop     stop the instance we started (pid file)
#   prometheus.sh status   exit 0 if it runs and is ready, 3 otherwise
#
# Environment: GC_PROMETHEUS_PORT (default 9090), GC_MESH_SIM_PORT (scrape target, default 15090),
# GC_PROMETHEUS_RETENTION (default 2d). Data in .local/prometheus, log .local/logs/prometheus.log,
# pid file .local/prometheus.pid.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${GC_PROMETHEUS_PORT:-9090}
SIM_PORT=${GC_MESH_SIM_PORT:-15090}
RETENTION=${GC_PROMETHEUS_RETENTION:-2d}
DATA=$root/.local/prometheus
PIDFILE=$root/.local/prometheus.pid
LOG=$root/.local/logs/prometheus.log
CONFIG_SRC=$root/dev/prometheus/prometheus.yml
URL=http://127.0.0.1:$PORT

NAME=prometheus
# shellcheck source=lib/daemon.sh
source "$root/dev/scripts/lib/daemon.sh"
log() { daemon_log "$@"; }
daemon_owns() { grep -q -- "$DATA" "/proc/$1/cmdline" 2>/dev/null; }
daemon_healthy() { curl -fsS --max-time 2 "$URL/-/ready" >/dev/null 2>&1; }
running_pid() { daemon_running_pid; }
ready() { daemon_healthy; }

# Debian's package starts a system-wide instance on :9090 where an init system exists; ours
# must own the port, so that one is stopped and kept from starting again.
stop_system_instance() {
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
  if [ -x /etc/init.d/prometheus ]; then
    service prometheus stop >/dev/null 2>&1 || /etc/init.d/prometheus stop >/dev/null 2>&1 || true
  fi
  if command -v update-rc.d >/dev/null 2>&1 && [ -e /etc/init.d/prometheus ]; then
    update-rc.d prometheus disable >/dev/null 2>&1 || true
  fi
  # Without an init system, a leftover distro daemon is recognised by its user (ours runs as us).
  local pid
  for pid in $(pgrep -x -u prometheus prometheus 2>/dev/null || true); do
    log "stopping the distro's prometheus (pid $pid) so ours can own the port"
    kill -TERM "$pid" 2>/dev/null || true
  done
}

ensure_installed() {
  command -v prometheus >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || { log "prometheus is not installed; run: sudo apt-get install -y --no-install-recommends prometheus"; return 1; }
  log "installing Debian's prometheus package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends prometheus >/dev/null 2>&1 || {
    apt-get update >/dev/null
    apt-get install -y --no-install-recommends prometheus >/dev/null
  }
  stop_system_instance
}

start() {
  if pid=$(running_pid); then
    log "already running (pid $pid) on $URL"
    return 0
  fi
  ensure_installed
  stop_system_instance
  if ready; then
    log "something else already answers on $URL; set GC_PROMETHEUS_PORT"
    return 1
  fi
  mkdir -p "$DATA" "$(dirname "$LOG")"
  local config=$CONFIG_SRC
  if [ "$SIM_PORT" != 15090 ]; then
    config=$root/.local/prometheus.yml
    sed "s/127\.0\.0\.1:15090/127.0.0.1:$SIM_PORT/" "$CONFIG_SRC" >"$config"
  fi
  daemon_spawn "$LOG" prometheus \
    --config.file="$config" \
    --storage.tsdb.path="$DATA" \
    --storage.tsdb.retention.time="$RETENTION" \
    --web.listen-address="127.0.0.1:$PORT" \
    --web.enable-lifecycle || return 1
  daemon_wait_healthy 60 || return 1
  log "ready (pid $(cat "$PIDFILE")) on $URL, scraping 127.0.0.1:$SIM_PORT every 5s"
}

# Prometheus flushes its head block on SIGTERM: a longer grace before insisting.
stop() { daemon_stop 100; }

status() { daemon_status; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start | stop | status" >&2; exit 2 ;;
esac
