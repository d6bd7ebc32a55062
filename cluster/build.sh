#!/usr/bin/env bash
# Builds the local control plane's programs from their Go modules, at the versions pinned in
# conformance/versions.env, into $EDS_CLUSTER_BIN (default cluster/.bin): etcd from the wrapper
# module cluster/etcd, and kube-apiserver, kube-controller-manager, kube-scheduler and kubectl
# from the wrapper module cluster/control-plane (go.mod and go.sum only; no upstream source is
# kept in this repository). Opt-in: neither CI nor `npm run conformance` runs it. A cold build
# of all five takes a long while on 2 cores (docs/local-cluster.md has the figures); Go's build
# and module caches stay in their default places, so a second run only relinks.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../conformance/versions.env
. "$here/../conformance/versions.env"
bin=${EDS_CLUSTER_BIN:-$here/.bin}
mkdir -p "$bin"
export GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false"

if ! command -v go >/dev/null 2>&1; then
  echo "cluster: 'go' is not on PATH; install Go 1.26 or newer (https://go.dev/doc/install)" >&2
  exit 2
fi

# The version wrapper DIR selects for MODULE (its replacement's, if replaced).
selected() {
  (cd "$here/$1" && go list -m -f '{{with .Replace}}{{.Version}}{{else}}{{.Version}}{{end}}' "$2")
}

# Fails unless wrapper DIR selects MODULE at VERSION.
pin() {
  local got
  got=$(selected "$1" "$2")
  if [ "$got" != "$3" ]; then
    echo "cluster: $1/go.mod selects $2 $got, but conformance/versions.env pins $3;" \
      "edit cluster/$1/go.mod and run: (cd cluster/$1 && go mod tidy)" >&2
    exit 2
  fi
}

k8s="v0.${KUBERNETES_VERSION#v1.}"
minor=${KUBERNETES_VERSION#v1.}
minor=${minor%%.*}

pin etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
pin control-plane k8s.io/kubernetes "$KUBERNETES_VERSION"
# Every staging module k8s.io/kubernetes replaces is pinned to the matching v0.N.M release, except
# k8s.io/mount-utils: the module proxy has no checksum for v0.35.5 (sum.golang.org answers 404), so
# the wrapper takes the nearest patch it serves, v0.35.4. The sample-* modules are listed but
# never built (the proxy refuses them: 403).
for module in api apiextensions-apiserver apimachinery apiserver client-go component-base \
  controller-manager kube-aggregator kube-controller-manager kube-scheduler kubectl kubelet; do
  pin control-plane "k8s.io/$module" "$k8s"
done

step() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  echo "cluster: built $name in $((SECONDS - start)) s"
}

# The version the Kubernetes binaries report (`--version`, /version): without these, v0.0.0-master.
ldflags="-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION"
ldflags+=" -X k8s.io/component-base/version.gitMajor=1"
ldflags+=" -X k8s.io/component-base/version.gitMinor=$minor"
ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=$KUBERNETES_VERSION"
ldflags+=" -X k8s.io/client-go/pkg/version.gitMajor=1"
ldflags+=" -X k8s.io/client-go/pkg/version.gitMinor=$minor"
ldflags+=" -X k8s.io/client-go/pkg/version.gitTreeState=clean"

kube() {
  (cd "$here/control-plane" && go build -trimpath -ldflags "$ldflags" -o "$bin/$1" "k8s.io/kubernetes/cmd/$1")
}

step etcd bash -c "cd '$here/etcd' && go build -trimpath -o '$bin/etcd' go.etcd.io/etcd/server/v3"
for program in ${EDS_CLUSTER_PROGRAMS:-kube-apiserver kube-controller-manager kube-scheduler kubectl}; do
  step "$program" kube "$program"
done
