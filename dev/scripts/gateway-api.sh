#!/usr/bin/env bash
# The Gateway API on the running local cluster (cluster.sh up does both on its own):
#   gateway-api.sh crds   install the standard-channel CRDs (GATEWAY_API_VERSION, cached)
#   gateway-api.sh seed   the demo app routed by an HTTPRoute (dev/gateway-demo, namespace gateway-demo)
# Uses $KUBECONFIG (default .local/kubeconfig) and kubectl from .cache/bin or PATH.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../versions.env
source "$root/dev/versions.env"
# shellcheck source=lib/gateway-api.sh
source "$root/dev/scripts/lib/gateway-api.sh"
log() { printf '[gateway-api] %s\n' "$*" >&2; }
die() { printf '[gateway-api] ERROR: %s\n' "$*" >&2; exit 1; }
KUBECTL=$(command -v "$root/.cache/bin/kubectl" || command -v kubectl || die "kubectl not found")
kc() { "$KUBECTL" --kubeconfig "${KUBECONFIG:-$root/.local/kubeconfig}" "$@"; }

case ${1:-} in
  crds) ensure_gateway_api_crds ;;
  seed) ensure_gateway_api_crds && seed_gateway_demo ;;
  *) echo "usage: $0 crds|seed" >&2; exit 2 ;;
esac
