#!/usr/bin/env bash
# Cold and warm `cluster:up` times and the peak memory of the whole local environment.
#
#   bash bench/cluster-up.sh
#
# Uses a SEPARATE cluster (own state dir, kubeconfig and ports, via the overrides
# dev/scripts/cluster.sh honours), so the shared cluster on :16443 is never touched:
#   cold     `up` in a fresh dir: new PKI, empty etcd, nodes, Istio CRDs, Bookinfo seed
#            (binaries come from the shared build cache either way: nothing is compiled)
#   running  `up` again while everything runs (the idempotent no-op path)
#   down     `down` without --purge (etcd data and certificates kept)
#   warm     `up` after that down: target < 20 s; ratio warm / cold
# After cold and after warm up, the rest of the environment is started against the bench
# cluster exactly as the demo runs it (mesh simulator, Prometheus scraping it, a production
# console), exercised for 30 s, and the VmHWM (peak resident set) of every process is summed.
# The sum of per-process peaks is an upper bound of the simultaneous peak.
# The shared environment's processes are listed for reference (read from /proc, untouched).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
B=$root/.local/bench/cluster-up
export GC_CLUSTER_DIR=$B/cluster GC_LOG_DIR=$B/logs GC_KUBECONFIG_OUT=$B/kubeconfig
export GC_ETCD_PORT=22379 GC_ETCD_PEER_PORT=22380 GC_APISERVER_PORT=26443
export GC_CONTROLLER_MANAGER_PORT=26257 GC_SCHEDULER_PORT=26259 GC_KWOK_PORT=26247
SIM_PORT=25090 PROM_PORT=29090 CONSOLE_PORT=3310
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok-controller)
TARGET_WARM_S=20

log() { printf '[bench] %s\n' "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# A process and all its descendants (the console's `next start` may fork).
tree() {
  local p=$1 c
  echo "$p"
  for c in $(cat "/proc/$p/task/$p/children" 2>/dev/null); do tree "$c"; done
}
tree_hwm_kb() {
  local sum=0 p
  for p in $(tree "$1"); do sum=$((sum + $(hwm_kb "$p"))); done
  echo "$sum"
}

[ "$GC_CLUSTER_DIR" != "$root/.local/cluster" ] || { log "refusing to use the shared cluster dir"; exit 1; }
for port in "$GC_ETCD_PORT" "$GC_ETCD_PEER_PORT" "$GC_APISERVER_PORT" "$GC_CONTROLLER_MANAGER_PORT" "$GC_SCHEDULER_PORT" "$GC_KWOK_PORT" "$SIM_PORT" "$PROM_PORT" "$CONSOLE_PORT"; do
  if port_in_use "$port"; then log "port $port is in use (another bench run?); stop it first"; exit 1; fi
done
[ -f .next/BUILD_ID ] || { log "no production build in .next: run npx next build"; exit 1; }

# ---------------------------------------------------------------- the rest of the environment

extra_pids=()
start_bg() { # name cmd...: own session (setsid execs in place: $! is the process itself)
  local name=$1; shift
  (exec setsid "$@" >"$GC_LOG_DIR/$name.log" 2>&1 </dev/null) &
  extra_pids+=("$name:$!")
}
stop_extras() {
  local entry pid
  for entry in "${extra_pids[@]}"; do
    pid=${entry#*:}
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for entry in "${extra_pids[@]}"; do
    pid=${entry#*:}
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  extra_pids=()
}
cleanup() {
  stop_extras
  bash dev/scripts/cluster.sh down --purge >/dev/null 2>&1 || true
  rm -rf "$GC_CLUSTER_DIR" "$B/prometheus"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_http() { # url seconds
  local deadline=$((SECONDS + $2))
  until curl -fs --max-time 2 -o /dev/null "$1"; do
    [ $SECONDS -lt $deadline ] || { log "$1 not answering after $2 s"; return 1; }
    sleep 0.5
  done
}

# Starts simulator, Prometheus and console on the bench cluster, exercises them for 30 s and
# prints "name kB" lines: every component's VmHWM.
environment_memory() {
  mkdir -p "$B/prometheus"
  sed "s/127.0.0.1:15090/127.0.0.1:$SIM_PORT/" dev/prometheus/prometheus.yml >"$B/prometheus.yml"
  start_bg mesh-sim node --import tsx dev/mesh-sim/main.ts --port "$SIM_PORT" --kubeconfig "$GC_KUBECONFIG_OUT"
  start_bg prometheus prometheus --config.file="$B/prometheus.yml" --storage.tsdb.path="$B/prometheus" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --storage.tsdb.retention.time=1h
  start_bg console env KUBECONFIG="$GC_KUBECONFIG_OUT" DATABASE_URL="file:$B/console.db" PROMETHEUS_URL="http://127.0.0.1:$PROM_PORT" \
    node_modules/.bin/next start -H 127.0.0.1 -p "$CONSOLE_PORT"
  wait_http "http://127.0.0.1:$SIM_PORT/healthz" 60
  wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 60
  wait_http "http://127.0.0.1:$CONSOLE_PORT/api/health" 90
  local base=http://127.0.0.1:$CONSOLE_PORT end=$((SECONDS + 30)) path
  while [ $SECONDS -lt $end ]; do
    for path in / /releases /namespaces/bookinfo /api/cluster /api/namespaces/bookinfo/services \
      "/api/namespaces/bookinfo/services/reviews/metrics?range=5m&step=5s" "/api/tasks?page=1"; do
      curl -fsS --max-time 10 -o /dev/null "$base$path" || log "GET $path failed"
    done
    sleep 1
  done
  local c entry
  for c in "${COMPONENTS[@]}"; do echo "$c $(hwm_kb "$(cat "$GC_CLUSTER_DIR/run/$c.pid")")"; done
  for entry in "${extra_pids[@]}"; do echo "${entry%%:*} $(tree_hwm_kb "${entry#*:}")"; done
  stop_extras
}

# The shared environment, for reference only (its console is a dev server: not comparable).
shared_memory() {
  local c pid
  for c in "${COMPONENTS[@]}"; do
    pid=$(cat ".local/cluster/run/$c.pid" 2>/dev/null || true)
    echo "$c $( [ -n "$pid" ] && hwm_kb "$pid" || echo 0)"
  done
  pid=$(cat .local/mesh-sim.pid 2>/dev/null || true); echo "mesh-sim $( [ -n "$pid" ] && hwm_kb "$pid" || echo 0)"
  pid=$(cat .local/prometheus.pid 2>/dev/null || true); echo "prometheus $( [ -n "$pid" ] && hwm_kb "$pid" || echo 0)"
}

timed_up() { # label -> prints seconds; cluster.sh's own progress lines go to $B/<label>.log
  local t0 t1
  t0=$(now)
  bash dev/scripts/cluster.sh up >"$B/$1.log" 2>&1 || { tail -30 "$B/$1.log" >&2; log "cluster.sh up ($1) failed"; exit 1; }
  t1=$(now)
  elapsed "$t0" "$t1"
}
# "control plane healthy after 3.2s" -> 3.2
phase() { sed -n "s/.*$2 \([0-9.]*\)s$/\1/p" "$B/$1.log" | tail -1; }

# ---------------------------------------------------------------- run

rm -rf "$B"
mkdir -p "$B" "$GC_LOG_DIR"
echo "# cluster:up cold/warm and environment peak memory"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM"
echo "load average (1/5/15 min) at start: $(cut -d' ' -f1-3 /proc/loadavg)"

log "cold up (fresh $B)"
cold=$(timed_up cold)
log "up while running"
running=$(timed_up running)
log "environment memory after cold up"
# Not in $(...): the started processes must be tracked by THIS shell for the EXIT trap.
environment_memory >"$B/mem-cold.txt"
mem_cold=$(<"$B/mem-cold.txt")
log "down (data kept)"
t0=$(now); bash dev/scripts/cluster.sh down >"$B/down.log" 2>&1; down=$(elapsed "$t0" "$(now)")
log "warm up"
warm=$(timed_up warm)
log "environment memory after warm up"
environment_memory >"$B/mem-warm.txt"
mem_warm=$(<"$B/mem-warm.txt")
mem_shared=$(shared_memory)

# Every phase must have ended with a working cluster: Bookinfo's reviews readable via the bench kubeconfig.
.cache/bin/kubectl --kubeconfig "$GC_KUBECONFIG_OUT" -n bookinfo get deploy reviews-v1 >/dev/null

echo
echo "| cluster.sh up | wall time | control plane healthy after | ratio to cold |"
echo "| --- | --- | --- | --- |"
echo "| cold (fresh dir: PKI, empty etcd, CRDs, seed) | ${cold} s | $(phase cold 'control plane healthy after') s | 1.00× |"
echo "| warm (after down, data kept) | ${warm} s | $(phase warm 'control plane healthy after') s | $(awk -v a="$warm" -v b="$cold" 'BEGIN { printf "%.2f×", a / b }') |"
echo "| already running | ${running} s | $(phase running 'control plane healthy after') s | $(awk -v a="$running" -v b="$cold" 'BEGIN { printf "%.2f×", a / b }') |"
echo "| (down, data kept) | ${down} s | | |"
echo
awk -v w="$warm" -v t="$TARGET_WARM_S" 'BEGIN { printf "target warm < %d s: %s (%.1f s)\n", t, (w < t ? "MET" : "NOT MET"), w }'

echo
echo "| process | VmHWM after cold up | VmHWM after warm up | shared env (reference) |"
echo "| --- | --- | --- | --- |"
join_mem() {
  local name cold_kb warm_kb shared_kb total_c=0 total_w=0
  for name in "${COMPONENTS[@]}" mesh-sim prometheus console; do
    cold_kb=$(awk -v n="$name" '$1 == n { print $2 }' <<<"$mem_cold")
    warm_kb=$(awk -v n="$name" '$1 == n { print $2 }' <<<"$mem_warm")
    shared_kb=$(awk -v n="$name" '$1 == n { print $2 }' <<<"$mem_shared")
    total_c=$((total_c + ${cold_kb:-0})); total_w=$((total_w + ${warm_kb:-0}))
    printf '| %s | %s MB | %s MB | %s |\n' "$name" "$(( ${cold_kb:-0} / 1024 ))" "$(( ${warm_kb:-0} / 1024 ))" \
      "$([ -n "$shared_kb" ] && echo "$(( shared_kb / 1024 )) MB" || echo "n/a (dev server)")"
  done
  printf '| **sum** | **%s MB** | **%s MB** | |\n' "$((total_c / 1024))" "$((total_w / 1024))"
}
join_mem
echo
echo "load average (1/5/15 min) at end: $(cut -d' ' -f1-3 /proc/loadavg)"
