#!/usr/bin/env bash
# Runs every benchmark in turn (about 17 minutes) and keeps each output in .local/bench/<name>.out.
# Needs the shared environment running (cluster, Prometheus, mesh simulator) and a production
# build in .next. The figures in bench/README.md come from these outputs.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p .local/bench
failed=0
for b in set-traffic recovery convergence metrics-api mesh-sim-cpu cluster-up ui auth; do
  printf '\n[bench] === %s (load %s) ===\n' "$b" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2
  if [ -f "bench/$b.sh" ]; then cmd=(bash "bench/$b.sh"); else cmd=(node --import tsx "bench/$b.ts"); fi
  "${cmd[@]}" 2>&1 | tee ".local/bench/$b.out"
  [ "${PIPESTATUS[0]}" = 0 ] || { echo "[bench] $b FAILED" >&2; failed=1; }
done
exit $failed
