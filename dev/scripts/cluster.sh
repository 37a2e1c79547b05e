#!/usr/bin/env bash
# A real, local Kubernetes control plane for gray-console, without Docker or kwokctl:
# etcd + kube-apiserver + kube-controller-manager + kube-scheduler run as plain processes,
# and the kwok controller plays kubelet for three fake nodes, so Deployments get Running,
# Ready pods. Istio's real CRDs are installed (no istiod: we only need the API objects), and
# Bookinfo is seeded into namespace "bookinfo". The Gateway API's standard-channel CRDs are
# installed too, with a second demo app routed by an HTTPRoute (namespace "gateway-demo").
#
#   cluster.sh up              build-bins (no-op when warm), start, nodes, CRDs, seed; idempotent
#   cluster.sh down [--purge]  stop what we started (pid files); --purge also drops etcd data
#   cluster.sh status          one line per component; exit 0 if all run, 3 otherwise
#
# Everything binds 127.0.0.1. State lives in .local/cluster/, logs in .local/logs/, and the
# admin kubeconfig is written to .local/kubeconfig. Env overrides: GC_CLUSTER_DIR, GC_LOG_DIR,
# GC_KUBECONFIG_OUT and the GC_*_PORT variables below (a second cluster needs all of them).
#
# Components are a plain list (COMPONENTS), started in order; COMPONENTS[0] is the store and
# is stopped last, the others are stopped in parallel. Each NAME defines:
#   NAME::port      the port it serves its health endpoint on (printed by status)
#   NAME::command   sets the global array CMD to its argv
#   NAME::healthy   exit 0 when it answers its health endpoint
#   NAME::needs     (optional) prints the component that must be healthy before it starts
#   NAME::stop_grace (optional) seconds between TERM and KILL on down (default 15)
# To add one, define those functions and append NAME to COMPONENTS.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../versions.env
source "$root/dev/versions.env"

BIN=$root/.cache/bin
# Overridable (with the ports below) to run a second, independent cluster, e.g. in CI.
STATE=${GC_CLUSTER_DIR:-$root/.local/cluster}
LOGS=${GC_LOG_DIR:-$root/.local/logs}
KUBECONFIG_OUT=${GC_KUBECONFIG_OUT:-$root/.local/kubeconfig}
PKI=$STATE/pki
RUN=$STATE/run

# Unusual defaults so a distro etcd (2379) or another cluster (6443, 10257, 10259) does not collide.
ETCD_PORT=${GC_ETCD_PORT:-12379}
ETCD_PEER_PORT=${GC_ETCD_PEER_PORT:-12380}
APISERVER_PORT=${GC_APISERVER_PORT:-16443}
CONTROLLER_MANAGER_PORT=${GC_CONTROLLER_MANAGER_PORT:-16257}
SCHEDULER_PORT=${GC_SCHEDULER_PORT:-16259}
KWOK_PORT=${GC_KWOK_PORT:-16247}

SERVICE_CIDR=10.96.0.0/16
SERVICE_ACCOUNT_ISSUER=https://kubernetes.default.svc.cluster.local
KWOK_NODE_SELECTOR=kwok.x-k8s.io/node=fake
BOOKINFO_NAMESPACE=bookinfo
ISTIO_CRDS=$STATE/istio/istio-api-v$ISTIO_API_VERSION.crds.yaml

# shellcheck source=lib/gateway-api.sh
source "$root/dev/scripts/lib/gateway-api.sh"

COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok-controller)

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

kc() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_OUT" "$@"; }

# wait_until TIMEOUT_SECONDS DESCRIPTION CMD...: polls CMD every 0.25 s.
wait_until() {
  local timeout=$1 what=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.25
  done
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# components

etcd::port() { echo "$ETCD_PORT"; }
etcd::command() {
  CMD=("$BIN/etcd"
    --name=gray-console
    --data-dir="$STATE/etcd"
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT"
    --advertise-client-urls="http://127.0.0.1:$ETCD_PORT"
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT"
    --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT"
    --initial-cluster="gray-console=http://127.0.0.1:$ETCD_PEER_PORT"
    # The apiserver's watch cache relies on progress notifications to serve consistent reads.
    --watch-progress-notify-interval=5s
    --auto-compaction-mode=periodic --auto-compaction-retention=1h
    # A throw-away dev cluster: losing the last writes on a machine crash is fine, waiting on
    # fsync for every write on a shared laptop disk is what makes cold starts slow.
    --unsafe-no-fsync
    --log-level=warn)
}
etcd::healthy() { curl -fsS --max-time 2 "http://127.0.0.1:$ETCD_PORT/health" | grep -q '"health":"true"'; }

kube-apiserver::port() { echo "$APISERVER_PORT"; }
# It would retry etcd on its own, but starting after etcd answers keeps its log free of
# connection-refused noise (etcd is healthy in well under a second).
kube-apiserver::needs() { echo etcd; }
kube-apiserver::command() {
  CMD=("$BIN/kube-apiserver"
    --bind-address=127.0.0.1
    --advertise-address=127.0.0.1
    # The "kubernetes" Service's Endpoints may not hold a loopback address (validation
    # rejects it every sync), and nothing runs in-cluster that would dial it anyway.
    --endpoint-reconciler-type=none
    --secure-port="$APISERVER_PORT"
    --etcd-servers="http://127.0.0.1:$ETCD_PORT"
    --client-ca-file="$PKI/ca.crt"
    --tls-cert-file="$PKI/apiserver.crt"
    --tls-private-key-file="$PKI/apiserver.key"
    --cert-dir="$STATE/kube-apiserver"
    --service-account-issuer="$SERVICE_ACCOUNT_ISSUER"
    --service-account-key-file="$PKI/sa.pub"
    --service-account-signing-key-file="$PKI/sa.key"
    --service-cluster-ip-range="$SERVICE_CIDR"
    --authorization-mode=Node,RBAC
    # Front-proxy (aggregation layer) trust, as kubeadm sets it up: the controller-manager and
    # scheduler read it for delegated authn, and aggregated APIs (metrics) need it.
    --requestheader-client-ca-file="$PKI/front-proxy-ca.crt"
    --requestheader-allowed-names=front-proxy-client
    --requestheader-username-headers=X-Remote-User
    --requestheader-group-headers=X-Remote-Group
    --requestheader-extra-headers-prefix=X-Remote-Extra-
    --proxy-client-cert-file="$PKI/front-proxy-client.crt"
    --proxy-client-key-file="$PKI/front-proxy-client.key"
    --allow-privileged=true
    --profiling=false)
}
# On TERM the apiserver stops listening at once but then waits up to 60 s for open watches
# (a console or simulator that is still running) to go away. Its state is all in etcd, so
# a short grace is enough: in-flight writes finish, watchers reconnect on the next up.
kube-apiserver::stop_grace() { echo 5; }
kube-apiserver::healthy() {
  curl -fsS --max-time 3 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://127.0.0.1:$APISERVER_PORT/readyz" | grep -qx ok
}

kube-controller-manager::port() { echo "$CONTROLLER_MANAGER_PORT"; }
kube-controller-manager::needs() { echo kube-apiserver; }
kube-controller-manager::command() {
  local kubeconfig=$STATE/kube-controller-manager.kubeconfig
  CMD=("$BIN/kube-controller-manager"
    --kubeconfig="$kubeconfig"
    --authentication-kubeconfig="$kubeconfig"
    --authorization-kubeconfig="$kubeconfig"
    --bind-address=127.0.0.1
    --secure-port="$CONTROLLER_MANAGER_PORT"
    --cert-dir="$STATE/kube-controller-manager"
    --leader-elect=false
    --use-service-account-credentials=true
    --root-ca-file="$PKI/ca.crt"
    --service-account-private-key-file="$PKI/sa.key"
    --cluster-signing-cert-file="$PKI/ca.crt"
    --cluster-signing-key-file="$PKI/ca.key"
    --service-cluster-ip-range="$SERVICE_CIDR"
    # Pod CIDRs are fixed per fake node in dev/cluster/nodes.yaml; nothing to allocate.
    --controllers='*,-nodeipam'
    # Defaults (20 qps) throttle rollouts the console drives in quick succession.
    --kube-api-qps=100 --kube-api-burst=200)
}
kube-controller-manager::healthy() { curl -fsSk --max-time 2 "https://127.0.0.1:$CONTROLLER_MANAGER_PORT/healthz" | grep -qx ok; }

kube-scheduler::port() { echo "$SCHEDULER_PORT"; }
kube-scheduler::needs() { echo kube-apiserver; }
kube-scheduler::command() {
  local kubeconfig=$STATE/kube-scheduler.kubeconfig
  CMD=("$BIN/kube-scheduler"
    --kubeconfig="$kubeconfig"
    --authentication-kubeconfig="$kubeconfig"
    --authorization-kubeconfig="$kubeconfig"
    --bind-address=127.0.0.1
    --secure-port="$SCHEDULER_PORT"
    --cert-dir="$STATE/kube-scheduler"
    --leader-elect=false)
}
kube-scheduler::healthy() { curl -fsSk --max-time 2 "https://127.0.0.1:$SCHEDULER_PORT/healthz" | grep -qx ok; }

kwok-controller::port() { echo "$KWOK_PORT"; }
kwok-controller::needs() { echo kube-apiserver; }
kwok-controller::command() {
  # kwok always merges ~/.kwok/kwok.yaml into its config when that file exists; a private
  # HOME keeps a developer's kwokctl setup from leaking stages into this cluster.
  CMD=(env HOME="$STATE/kwok-controller" "$BIN/kwok"
    --kubeconfig="$STATE/kwok-controller.kubeconfig"
    --config="$root/dev/cluster/kwok-stages.yaml"
    --manage-all-nodes=false
    --manage-nodes-with-annotation-selector="$KWOK_NODE_SELECTOR"
    --server-address="127.0.0.1:$KWOK_PORT"
    # Renew a Lease per node like a kubelet, so the node lifecycle controller sees them alive.
    --node-lease-duration-seconds=40)
}
kwok-controller::healthy() { curl -fsS --max-time 2 "http://127.0.0.1:$KWOK_PORT/healthz" >/dev/null; }

# ---------------------------------------------------------------------------------------------
# process management (pid files in $RUN)

pid_of() {
  local file=$RUN/$1.pid pid
  [ -f "$file" ] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # The pid may have been recycled by an unrelated process since we wrote it.
  grep -qF -- "$(component_binary "$1")" "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

component_binary() {
  local CMD=()
  "$1::command"
  local arg
  for arg in "${CMD[@]}"; do
    case $arg in "$BIN"/*) echo "$arg"; return ;; esac
  done
}

start_component() {
  local name=$1 needs CMD=()
  if pid_of "$name" >/dev/null; then return 0; fi
  if declare -F "$name::needs" >/dev/null; then
    needs=$("$name::needs")
    wait_healthy "$needs"
  fi
  local port
  port=$("$name::port")
  if port_in_use "$port"; then
    die "$name: 127.0.0.1:$port is already in use by another process; set the GC_*_PORT override (see dev/scripts/cluster.sh)"
  fi
  "$name::command"
  [ -x "$(component_binary "$name")" ] || die "$name: binary $(component_binary "$name") missing; run: bash dev/scripts/build-bins.sh"
  mkdir -p "$RUN" "$LOGS"
  install -d -m 700 "$STATE/$name"
  [ -f "$LOGS/$name.log" ] && mv -f "$LOGS/$name.log" "$LOGS/$name.prev.log"
  # setsid: the component outlives this script and the terminal (npm run, CI step) that ran it.
  # No job control here, so the subshell is not a group leader and setsid execs in place:
  # $! is the component's own pid.
  (cd "$STATE/$name" && exec setsid "${CMD[@]}" >"$LOGS/$name.log" 2>&1 </dev/null) &
  local pid=$! binary
  echo "$pid" >"$RUN/$name.pid"
  # Until the exec lands, /proc/PID/cmdline is still this script's and pid_of would call
  # the component dead; wait for that (milliseconds) so the next checks are meaningful.
  binary=$(component_binary "$name")
  local i
  for i in $(seq 40); do
    grep -qF -- "$binary" "/proc/$pid/cmdline" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  log "started $name (pid $pid, port $port, log ${LOGS#"$root"/}/$name.log)"
}

# wait_healthy NAME: until its health endpoint answers; fails fast if the process died.
wait_healthy() {
  local name=$1 deadline=$((SECONDS + 120))
  until "$name::healthy" 2>/dev/null; do
    pid_of "$name" >/dev/null || { log "$name exited"; fail_with_log "$name"; }
    [ $SECONDS -lt $deadline ] || { log "$name not healthy after 120s"; fail_with_log "$name"; }
    sleep 0.25
  done
}

fail_with_log() {
  log "$1 did not become healthy; last lines of ${LOGS#"$root"/}/$1.log:"
  tail -n 25 "$LOGS/$1.log" >&2 2>/dev/null || true
  exit 1
}

stop_component() {
  local name=$1 pid file=$RUN/$1.pid
  if pid=$(pid_of "$name"); then
    local grace=15
    declare -F "$name::stop_grace" >/dev/null && grace=$("$name::stop_grace")
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) still running ${grace}s after TERM; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$file"
}

# ---------------------------------------------------------------------------------------------
# PKI and kubeconfigs

# new_ca NAME CN: self-signed CA key + cert, only if missing.
new_ca() {
  local name=$1 cn=$2
  [ -s "$PKI/$name.crt" ] && [ -s "$PKI/$name.key" ] && return 0
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -sha256 \
    -keyout "$PKI/$name.key" -out "$PKI/$name.crt" -subj "/CN=$cn" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
}

# new_cert NAME CN ORG EXTENSIONS [CA]: key + cert signed by CA (default: ca), only if missing.
new_cert() {
  local name=$1 cn=$2 org=$3 ext=$4 ca=${5:-ca}
  [ -s "$PKI/$name.crt" ] && [ -s "$PKI/$name.key" ] && return 0
  local subj="/CN=$cn"
  [ -n "$org" ] && subj="/O=$org/CN=$cn"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$PKI/$name.key" -out "$PKI/$name.csr" -subj "$subj" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -days 3650 -sha256 -out "$PKI/$name.crt" -extfile <(printf '%b' "$ext") 2>/dev/null
  rm -f "$PKI/$name.csr"
}

ensure_pki() {
  # Leaf certs from a previous CA would be rejected: a new CA means new everything.
  if ! [ -s "$PKI/ca.crt" ] || ! [ -s "$PKI/ca.key" ]; then rm -rf "$PKI"; fi
  mkdir -p "$PKI"
  chmod 700 "$PKI"
  [ -s "$PKI/ca.crt" ] || log "generating PKI in ${PKI#"$root"/}"
  new_ca ca gray-console-local-ca
  # Separate CA, as kubeadm does: a client cert from the main CA must not be able to assert
  # arbitrary users through the X-Remote-User headers.
  if ! [ -s "$PKI/front-proxy-ca.crt" ]; then rm -f "$PKI"/front-proxy-*; fi
  new_ca front-proxy-ca gray-console-local-front-proxy-ca
  local client='basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n'
  local svc_ip=${SERVICE_CIDR%.*/*}.1
  new_cert apiserver kube-apiserver "" "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,IP:$svc_ip,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n"
  new_cert admin admin system:masters "$client"
  new_cert front-proxy-client front-proxy-client "" "$client" front-proxy-ca
  new_cert kube-controller-manager system:kube-controller-manager "" "$client"
  new_cert kube-scheduler system:kube-scheduler "" "$client"
  # kwok writes node and pod status for fake kubelets; the Node authorizer only admits real
  # kubelet identities (one per node), so it runs as a cluster admin like under kwokctl.
  new_cert kwok-controller kwok-controller system:masters "$client"
  if ! [ -s "$PKI/sa.key" ] || ! [ -s "$PKI/sa.pub" ]; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/sa.key" 2>/dev/null
    openssl ec -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
  chmod 600 "$PKI"/*.key
}

# write_kubeconfig FILE USER CERT_NAME: embeds the credentials so the file works on its own.
write_kubeconfig() {
  local file=$1 user=$2 cert=$3
  rm -f "$file.tmp"
  (umask 077 && : >"$file.tmp")
  cat >>"$file.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: gray-console
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 <"$PKI/$cert.crt")
    client-key-data: $(base64 -w0 <"$PKI/$cert.key")
contexts:
- name: gray-console
  context:
    cluster: gray-console
    user: $user
current-context: gray-console
EOF
  # Readers (tests, the app) may load it at any moment: replace, never half-write.
  mv -f "$file.tmp" "$file"
}

ensure_kubeconfigs() {
  write_kubeconfig "$KUBECONFIG_OUT" admin admin
  write_kubeconfig "$STATE/kube-controller-manager.kubeconfig" system:kube-controller-manager kube-controller-manager
  write_kubeconfig "$STATE/kube-scheduler.kubeconfig" system:kube-scheduler kube-scheduler
  write_kubeconfig "$STATE/kwok-controller.kubeconfig" kwok-controller kwok-controller
}

# ---------------------------------------------------------------------------------------------
# cluster content

ensure_nodes() {
  # Client-side apply: Node status is only accepted on create (a subresource afterwards),
  # and create-or-leave-alone is exactly what apply does for these static objects.
  kc apply -f "$root/dev/cluster/nodes.yaml" >/dev/null
  wait_until 60 "kwok nodes Ready" kc wait --for=condition=Ready node -l type=kwok --timeout=1s ||
    fail_with_log kwok-controller
}

istio_crd_source() {
  [ -s "$ISTIO_CRDS" ] && return 0
  command -v go >/dev/null || die "Go is needed once to download istio.io/api@v$ISTIO_API_VERSION (CRDs)"
  log "downloading istio.io/api@v$ISTIO_API_VERSION for its CRDs"
  local dir
  # Run outside any module so the download does not touch a go.mod; GOFLAGS as build-bins.
  dir=$(cd "$STATE" && GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "istio.io/api@v$ISTIO_API_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -s "$dir/kubernetes/customresourcedefinitions.gen.yaml" ] ||
    die "istio.io/api@v$ISTIO_API_VERSION has no kubernetes/customresourcedefinitions.gen.yaml (dir: ${dir:-?})"
  mkdir -p "$(dirname "$ISTIO_CRDS")"
  # The module cache is read-only; keep a writable copy next to the cluster state.
  install -m 644 "$dir/kubernetes/customresourcedefinitions.gen.yaml" "$ISTIO_CRDS.tmp"
  mv -f "$ISTIO_CRDS.tmp" "$ISTIO_CRDS"
}

ensure_istio_crds() {
  istio_crd_source
  local crds=(crd/virtualservices.networking.istio.io crd/destinationrules.networking.istio.io)
  local stamp=$STATE/istio/applied-v$ISTIO_API_VERSION
  # Applying ~850 KB of schemas costs seconds; skip when this version is known to be in
  # this etcd (the stamp is dropped with the etcd data by down --purge).
  if ! [ -f "$stamp" ] || ! kc get "${crds[@]}" >/dev/null 2>&1; then
    log "installing Istio CRDs from istio.io/api@v$ISTIO_API_VERSION"
    # Server-side: the CRDs are too large for the last-applied annotation of client-side apply.
    local out
    # (The apiserver warns 'unrecognized format "binary"' for Istio's schemas; only show
    # output when the apply fails.)
    out=$(kc apply --server-side --force-conflicts --field-manager=gray-console-cluster -f "$ISTIO_CRDS" 2>&1) || {
      printf '%s\n' "$out" >&2
      die "installing Istio CRDs failed"
    }
    touch "$stamp"
  fi
  kc wait --for=condition=Established "${crds[@]}" --timeout=60s >/dev/null
  # view/edit cover Istio's traffic kinds (aggregation), as on a cluster set up for teams.
  kc apply --server-side --field-manager=gray-console-cluster -f "$root/dev/cluster/istio-user-roles.yaml" >/dev/null
}

seed_bookinfo() {
  local out rc=0 expected applied conflicts
  kc apply --server-side --field-manager=gray-console-seed -f "$root/dev/bookinfo/00-namespace.yaml" >/dev/null
  # No --force-conflicts: if the console has since changed a seeded field (a canary's
  # VirtualService weights, replicas), a re-run of up must not reset it. SSA refuses just
  # those objects ("Apply failed with N conflict") and applies everything else.
  out=$(kc apply --server-side --field-manager=gray-console-seed -n "$BOOKINFO_NAMESPACE" -f "$root/dev/bookinfo/" 2>&1) || rc=$?
  [ $rc -eq 0 ] && return 0
  # Anything but conflicts (API down, a schema error) is a real failure: every object must
  # be accounted for as applied or conflicting.
  expected=$(cat "$root"/dev/bookinfo/*.yaml | grep -c '^kind:')
  applied=$(grep -c ' serverside-applied$' <<<"$out" || true)
  conflicts=$(grep -c '^Apply failed with' <<<"$out" || true)
  if [ $((applied + conflicts)) -ne "$expected" ]; then
    printf '%s\n' "$out" >&2
    die "seeding Bookinfo failed ($applied applied + $conflicts conflicts of $expected objects)"
  fi
  log "Bookinfo: $conflicts seeded object(s) changed since seeding were left as they are:"
  grep '^Apply failed with' <<<"$out" | sed 's/^Apply failed with [0-9]* conflicts\{0,1\}: /[cluster]   /' >&2
}

bookinfo_ready() {
  local lines
  # Absent status fields print as empty strings (readyReplicas is omitted while it is 0).
  lines=$(kc get deploy -n "$BOOKINFO_NAMESPACE" \
    -o jsonpath='{range .items[*]}{.metadata.name}|{.spec.replicas}|{.status.readyReplicas}|{.status.updatedReplicas}|{.status.observedGeneration}|{.metadata.generation}{"\n"}{end}')
  [ -n "$lines" ] || return 1
  awk -F'|' '{ if ($2+0 != $3+0 || $2+0 != $4+0 || $5 != $6) bad = 1 } END { exit bad }' <<<"$lines"
}

# ---------------------------------------------------------------------------------------------
# commands

ensure_tools() {
  local missing=()
  command -v openssl >/dev/null || missing+=(openssl)
  command -v curl >/dev/null || missing+=(curl)
  { command -v setsid && command -v flock; } >/dev/null || missing+=(util-linux)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing ${missing[*]}"
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "missing ${missing[*]}; install with: sudo apt-get install -y --no-install-recommends ${missing[*]}"
  fi
}

cmd_up() {
  local t0
  t0=$(now)
  ensure_tools
  mkdir -p "$STATE" "$RUN" "$LOGS"
  # Another up (any checkout: the binary cache is shared) may be compiling the same binaries.
  local cache_root=${GRAY_CONSOLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gray-console}
  mkdir -p "$cache_root"
  flock "$cache_root/build-bins.lock" bash "$root/dev/scripts/build-bins.sh" >&2
  ensure_pki
  ensure_kubeconfigs
  local c
  for c in "${COMPONENTS[@]}"; do start_component "$c"; done
  for c in "${COMPONENTS[@]}"; do wait_healthy "$c"; done
  log "control plane healthy after $(since "$t0")s"
  ensure_nodes
  ensure_istio_crds
  ensure_gateway_api_crds
  seed_bookinfo
  seed_gateway_demo
  wait_until 120 "Bookinfo deployments Ready" bookinfo_ready || {
    kc get deploy,pods -n "$BOOKINFO_NAMESPACE" -o wide >&2 || true
    exit 1
  }
  log "ready in $(since "$t0")s"
  echo "KUBECONFIG=$KUBECONFIG_OUT"
}

cmd_down() {
  local purge=0
  case ${1:-} in
    --purge) purge=1 ;;
    "") ;;
    *) die "usage: cluster.sh down [--purge]" ;;
  esac
  # Everything but the storage (COMPONENTS[0], etcd) stops in parallel, etcd last, so no
  # component spends its shutdown retrying a store that is already gone.
  local c
  for c in "${COMPONENTS[@]:1}"; do stop_component "$c" & done
  wait
  stop_component "${COMPONENTS[0]}"
  if [ $purge = 1 ]; then
    rm -rf "$STATE/etcd" "$STATE/istio"/applied-v*
    log "purged etcd data (${STATE#"$root"/}/etcd); the next up starts from an empty cluster"
  fi
}

cmd_status() {
  local c pid all=0 health
  for c in "${COMPONENTS[@]}"; do
    if pid=$(pid_of "$c"); then
      if "$c::healthy" 2>/dev/null; then health=healthy; else health=unhealthy; all=1; fi
      printf '%-24s running  pid %-8s port %-6s %s\n' "$c" "$pid" "$("$c::port")" "$health"
    else
      printf '%-24s stopped  pid %-8s port %-6s\n' "$c" - "$("$c::port")"
      all=1
    fi
  done
  if kube-apiserver::healthy 2>/dev/null; then
    echo "apiserver /readyz         ok (KUBECONFIG=$KUBECONFIG_OUT)"
  else
    echo "apiserver /readyz         not ok"
    all=1
  fi
  [ $all = 0 ] || exit 3
}

case ${1:-} in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status "$@" ;;
  *) echo "usage: $0 up | down [--purge] | status" >&2; exit 2 ;;
esac
