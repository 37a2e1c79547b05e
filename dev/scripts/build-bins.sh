#!/usr/bin/env bash
# Builds the local control plane from Go modules (pinned in dev/build/*/go.mod) and
# caches the binaries OUTSIDE the checkout, keyed by version, so a fresh clone (CI)
# links them instead of recompiling Kubernetes. Idempotent: a warm run compiles nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/.." && pwd)
source "$here/versions.env"

cache_root=${GRAY_CONSOLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gray-console}
bin_link="$root/.cache/bin"
mkdir -p "$bin_link"

log() { printf '[build-bins] %s\n' "$*" >&2; }

command -v go >/dev/null || { echo "Go 1.25+ is required (https://go.dev/dl); not found on PATH" >&2; exit 1; }

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod

# build_component NAME VERSION MODULE_DIR LDFLAGS PKG...
build_component() {
  local name=$1 version=$2 moddir=$3 ldflags=$4; shift 4
  local out="$cache_root/$name-$version"
  local want=()
  local pkg b
  for pkg in "$@"; do
    # go build names a binary after the last path element that is not a major-version
    # suffix: go.etcd.io/etcd/server/v3 -> "server", not "v3".
    b=$(basename "$pkg")
    case $b in v[0-9]*) b=$(basename "$(dirname "$pkg")") ;; esac
    want+=("$b")
  done
  local missing=0
  for b in "${want[@]}"; do [ -x "$out/$b" ] || missing=1; done
  if [ $missing = 1 ]; then
    log "compiling $name $version (cold build; cached in $out afterwards)"
    local start=$SECONDS
    mkdir -p "$out.tmp"
    (cd "$moddir" && go build -trimpath -tags=selinux,notest,grpcnotrace -ldflags "$ldflags" -o "$out.tmp/" "$@")
    rm -rf "$out" && mv "$out.tmp" "$out"
    log "$name built in $((SECONDS - start))s"
  fi
  for b in "${want[@]}"; do
    ln -sfn "$out/$b" "$bin_link/$b"
  done
}

k8s_ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=${KUBERNETES_VERSION%%.*} -X k8s.io/component-base/version.gitMinor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2) -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/client-go/pkg/version.gitVersion=v$KUBERNETES_VERSION"

want=${1:-all}
if [ "$want" = all ] || [ "$want" = etcd ]; then
  build_component etcd "$ETCD_VERSION" "$here/build/etcd" "-s -w" go.etcd.io/etcd/server/v3
  # the etcd server package builds a binary named "server"; give it its real name.
  ln -sfn "$cache_root/etcd-$ETCD_VERSION/server" "$bin_link/etcd"
  rm -f "$bin_link/v3" "$bin_link/server"
fi
if [ "$want" = all ] || [ "$want" = kwok ]; then
  build_component kwok "$KWOK_VERSION" "$here/build/kwok" "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=v$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok
fi
if [ "$want" = all ] || [ "$want" = kubernetes ]; then
  build_component kubernetes "$KUBERNETES_VERSION" "$here/build/k8s" "$k8s_ldflags" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
fi
if [ "$want" = all ] || [ "$want" = helm ]; then
  # helm lint / helm template for the chart tests (test/integration/helm.int.test.ts).
  build_component helm "$HELM_VERSION" "$here/build/helm" "-s -w -X helm.sh/helm/v4/internal/version.version=v$HELM_VERSION -X helm.sh/helm/v4/internal/version.gitTreeState=clean" helm.sh/helm/v4/cmd/helm
fi
if [ "$want" = all ] || [ "$want" = oidc ]; then
  # The local OpenID provider of the sign-in tests (dev/build/oidc/main.go, on zitadel/oidc's
  # example OP). Its own source is part of the key: editing main.go rebuilds it.
  oidc_src=$(cat "$here/build/oidc/main.go" "$here/build/oidc/go.mod" | sha256sum | cut -c1-12)
  build_component oidc "$ZITADEL_OIDC_VERSION-$oidc_src" "$here/build/oidc" "-s -w" graycons.local/oidc
fi
if [ "$want" = all ] || [ "$want" = oauth2-proxy ]; then
  build_component oauth2-proxy "$OAUTH2_PROXY_VERSION" "$here/build/oauth2-proxy" "-s -w -X github.com/oauth2-proxy/oauth2-proxy/v7/pkg/version.VERSION=v$OAUTH2_PROXY_VERSION" github.com/oauth2-proxy/oauth2-proxy/v7
fi
