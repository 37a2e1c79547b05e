# shellcheck shell=bash
# The Gateway API for the local cluster: its standard-channel CRDs from the sigs.k8s.io/gateway-api
# Go module (GATEWAY_API_VERSION in dev/versions.env), and the demo app routed by an HTTPRoute
# (dev/gateway-demo). Sourced by cluster.sh (up) and dev/scripts/gateway-api.sh; needs `kc`
# (kubectl with the cluster's kubeconfig), `log`, `die` and $root.

gateway_api_cache() {
  local cache_root=${GRAY_CONSOLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gray-console}
  echo "$cache_root/gateway-api-$GATEWAY_API_VERSION"
}

# The CRDs of config/crd/standard (every gateway.networking.k8s.io_*.yaml but the
# ValidatingAdmissionPolicy, which is no CRD), concatenated once into the machine cache: the
# module cache is read-only, and a warm run needs neither Go nor the network.
gateway_api_crd_source() {
  local out
  out="$(gateway_api_cache)/standard-crds.yaml"
  if [ -s "$out" ]; then echo "$out"; return 0; fi
  command -v go >/dev/null || die "Go is needed once to download sigs.k8s.io/gateway-api@v$GATEWAY_API_VERSION (CRDs)"
  log "downloading sigs.k8s.io/gateway-api@v$GATEWAY_API_VERSION for its CRDs"
  local dir tmp
  tmp=$(mktemp -d)
  # Run outside any module so the download does not touch a go.mod; GOFLAGS as build-bins.
  dir=$(cd "$tmp" && GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "sigs.k8s.io/gateway-api@v$GATEWAY_API_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  rmdir "$tmp"
  [ -s "$dir/config/crd/standard/gateway.networking.k8s.io_httproutes.yaml" ] ||
    die "sigs.k8s.io/gateway-api@v$GATEWAY_API_VERSION has no config/crd/standard/gateway.networking.k8s.io_httproutes.yaml (dir: ${dir:-?})"
  mkdir -p "$(dirname "$out")"
  local f
  for f in "$dir"/config/crd/standard/gateway.networking.k8s.io_*.yaml; do
    case $f in *_vap_*) continue ;; esac
    printf -- '---\n'; cat "$f"
  done >"$out.tmp"
  mv -f "$out.tmp" "$out"
  echo "$out"
}

ensure_gateway_api_crds() {
  local src crds=(crd/httproutes.gateway.networking.k8s.io crd/gateways.gateway.networking.k8s.io)
  src=$(gateway_api_crd_source)
  if ! kc get "${crds[@]}" -o jsonpath='{range .items[*]}{.metadata.annotations.gateway\.networking\.k8s\.io/bundle-version}{"\n"}{end}' 2>/dev/null |
    grep -qx "v$GATEWAY_API_VERSION"; then
    log "installing Gateway API CRDs (standard channel) from sigs.k8s.io/gateway-api@v$GATEWAY_API_VERSION"
    local out
    # Server-side: HTTPRoute's schema is too large for client-side apply's annotation.
    out=$(kc apply --server-side --force-conflicts --field-manager=gray-console-cluster -f "$src" 2>&1) || {
      printf '%s\n' "$out" >&2
      die "installing the Gateway API CRDs failed"
    }
  fi
  kc wait --for=condition=Established "${crds[@]}" --timeout=60s >/dev/null
}

# Like seed_bookinfo: no --force-conflicts, so a re-run leaves what the console changed since.
seed_gateway_demo() {
  local out rc=0
  kc apply --server-side --field-manager=gray-console-seed -f "$root/dev/gateway-demo/00-namespace.yaml" >/dev/null
  out=$(kc apply --server-side --field-manager=gray-console-seed -n gateway-demo -f "$root/dev/gateway-demo/" 2>&1) || rc=$?
  [ $rc -eq 0 ] && return 0
  if grep -q '^Apply failed with' <<<"$out" && ! grep -v -e '^Apply failed with' -e ' serverside-applied$' -e '^Please review' -e '^ *- ' -e '^$' -e 'conflict' <<<"$out" | grep -q .; then
    log "gateway-demo: seeded object(s) changed since seeding were left as they are"
    return 0
  fi
  printf '%s\n' "$out" >&2
  die "seeding gateway-demo failed"
}
