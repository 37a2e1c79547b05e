#!/usr/bin/env bash
# Starts/stops the whole local environment in order (cluster, Prometheus, mesh simulator) and
# remembers which ones THIS invocation started, so `stop` leaves alone what was already running.
#   services.sh start <statefile>   start what is not running; record what we started
#   services.sh stop  <statefile>   stop what the matching start recorded (reverse order)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
action=$1 state=$2
case "$action" in
  start)
    : > "$state"
    if ! bash dev/scripts/cluster.sh status >/dev/null 2>&1; then echo cluster >> "$state"; fi
    bash dev/scripts/cluster.sh up
    if ! bash dev/scripts/prometheus.sh status >/dev/null 2>&1; then echo prometheus >> "$state"; bash dev/scripts/prometheus.sh start; fi
    if ! bash dev/scripts/mesh-sim.sh status >/dev/null 2>&1; then echo mesh-sim >> "$state"; bash dev/scripts/mesh-sim.sh start; fi
    ;;
  stop)
    [ -f "$state" ] || exit 0
    grep -qx mesh-sim "$state" && bash dev/scripts/mesh-sim.sh stop || true
    grep -qx prometheus "$state" && bash dev/scripts/prometheus.sh stop || true
    grep -qx cluster "$state" && bash dev/scripts/cluster.sh down || true
    rm -f "$state"
    ;;
  *) echo "usage: services.sh start|stop STATEFILE" >&2; exit 2 ;;
esac
