# Shared by the scripts that run one background process of ours (mesh-sim.sh, prometheus.sh):
# pid-file bookkeeping, waiting for health, stopping with a grace period, status.
# The caller sets NAME, PIDFILE, LOG, URL and defines:
#   daemon_owns PID   exit 0 if PID is our process (not a recycled pid)
#   daemon_healthy    exit 0 if the process answers its health endpoint

daemon_log() { printf '[%s] %s\n' "$NAME" "$*" >&2; }

daemon_running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid=$(cat "$PIDFILE")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && daemon_owns "$pid"; then
    echo "$pid"
    return 0
  fi
  return 1
}

# daemon_spawn LOG CMD...: starts CMD in a session of its own (it outlives the shell that
# started it) and writes ITS pid to $PIDFILE. The process writes its own pid before exec'ing CMD:
# `setsid CMD & echo $!` records setsid's pid, and setsid forks (and exits at once) whenever it
# leads its process group, as it does under a caller with job control.
daemon_spawn() {
  local log=$1
  shift
  rm -f "$PIDFILE"
  # shellcheck disable=SC2016 # $$ and $0/$@ belong to the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PIDFILE" "$@" >>"$log" 2>&1 </dev/null &
  for _ in $(seq 1 50); do
    [ -s "$PIDFILE" ] && return 0
    sleep 0.1
  done
  daemon_log "did not start (no pid written; see $log)"
  return 1
}

# daemon_wait_healthy SECONDS: after the process was started and its pid written.
daemon_wait_healthy() {
  local deadline=$((SECONDS + $1))
  until daemon_healthy; do
    if ! daemon_running_pid >/dev/null; then
      daemon_log "exited during startup; last log lines:"
      tail -n 20 "$LOG" >&2
      rm -f "$PIDFILE"
      return 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      daemon_log "not healthy after $1 s (see $LOG)"
      return 1
    fi
    sleep 0.5
  done
}

# daemon_stop GRACE_TENTHS: TERM, wait up to GRACE_TENTHS/10 s, then KILL.
daemon_stop() {
  local pid
  if ! pid=$(daemon_running_pid); then
    daemon_log "not running"
    rm -f "$PIDFILE"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 "$1"); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    daemon_log "did not stop on SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  daemon_log "stopped (pid $pid)"
}

# Exit 0 when running and healthy, 3 otherwise (like cluster.sh status).
daemon_status() {
  local pid
  if pid=$(daemon_running_pid) && daemon_healthy; then
    echo "$NAME: running (pid $pid) on $URL"
    return 0
  fi
  if [ -n "${pid:-}" ]; then
    echo "$NAME: process $pid runs but $URL does not answer its health check"
  else
    echo "$NAME: stopped"
  fi
  return 3
}
