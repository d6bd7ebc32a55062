#!/usr/bin/env bash
# Builds the local control plane's programs from their Go modules, at the versions pinned in
# conformance/versions.env, into $EDS_CLUSTER_BIN (default cluster/.bin): etcd from the wrapper
# module cluster/etcd, and kube-apiserver, kube-controller-manager, kube-scheduler and kubectl
# from the wrapper module cluster/control-plane, KEDA's operator and metrics API server from the
# wrapper module cluster/keda (go.mod and go.sum only; no upstream source is kept in this
# repository), crane (the local OCI registry Crossplane's package manager pulls from), Crossplane
# core and CLI, provider-kubernetes (the legacy target), NACK's JetStream controller (scale to
# zero), helm and chainsaw. `npm run cluster-suite` (and so CI) runs it. A cold build of
# all of them takes a long while on 2 cores (docs/local-cluster.md has the figures); Go's build
# and module caches stay in their default places, so a second run only relinks.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../conformance/versions.env
. "$here/../conformance/versions.env"
bin=${EDS_CLUSTER_BIN:-$here/.bin}
mkdir -p "$bin"
label=cluster
# shellcheck source=../conformance/go-wrappers.sh
. "$here/../conformance/go-wrappers.sh"

k8s="v0.${KUBERNETES_VERSION#v1.}"
minor=${KUBERNETES_VERSION#v1.}
minor=${minor%%.*}

pin etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
pin control-plane k8s.io/kubernetes "$KUBERNETES_VERSION"
pin keda github.com/kedacore/keda/v2 "$KEDA_VERSION"
pin nack github.com/nats-io/nack "$NACK_VERSION"
# Every staging module k8s.io/kubernetes replaces is pinned to the matching v0.N.M release, except
# k8s.io/mount-utils: the module proxy has no checksum for v0.35.5 (sum.golang.org answers 404), so
# the wrapper takes the nearest patch it serves, v0.35.4. The sample-* modules are listed but
# never built (the proxy refuses them: 403).
for module in api apiextensions-apiserver apimachinery apiserver client-go component-base \
  controller-manager kube-aggregator kube-controller-manager kube-scheduler kubectl kubelet; do
  pin control-plane "k8s.io/$module" "$k8s"
done

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
keda() {
  (cd "$here/keda" && go build -trimpath -o "$bin/keda-$1" "github.com/kedacore/keda/v2/cmd/$1")
}
step keda-operator keda operator
step keda-adapter keda adapter
# crane has no replace directives: go install builds it at the pinned version.
step crane env GOBIN="$bin" go install "github.com/google/go-containerregistry/cmd/crane@$GGCR_VERSION"
# Crossplane's CLI (xpkg build and push) and core (core, rbac), from the conformance suite's
# wrapper modules; helm (renders Crossplane's own chart for its RBAC: docs/local-cluster.md) and
# chainsaw (the cluster suite) need none.
conformance=$here/../conformance
pin ../conformance/crossplane-cli github.com/crossplane/cli/v2 "$CROSSPLANE_CLI_VERSION"
pin ../conformance/crossplane-core github.com/crossplane/crossplane/v2 "$CROSSPLANE_VERSION"
step crossplane bash -c "cd '$conformance/crossplane-cli' && go build -trimpath -o '$bin/crossplane' github.com/crossplane/cli/v2/cmd/crossplane"
# Its version, as its release build sets it: the package manager checks each package's
# spec.crossplane.version against it and refuses every package when it is empty.
xp_ldflags="-X github.com/crossplane/crossplane-runtime/v2/pkg/version.version=$CROSSPLANE_VERSION"
step crossplane-core bash -c "cd '$conformance/crossplane-core' && go build -trimpath -ldflags '$xp_ldflags' -o '$bin/crossplane-core' github.com/crossplane/crossplane/v2/cmd/crossplane"
gobin() { env GOBIN="$bin" GOFLAGS=-buildvcs=false go install "$@"; }
# provider-kubernetes has no replace directives either. Its metrics server would listen on :8080,
# which the RBAC manager holds (every process here shares one network namespace, and the
# provider has no flag for it), so it is turned off in the build ("0" disables it); its program is
# named provider, installed here as provider-kubernetes.
provider_kubernetes() {
  local tmp
  tmp=$(mktemp -d)
  env GOBIN="$tmp" GOFLAGS=-buildvcs=false go install \
    -ldflags "-X sigs.k8s.io/controller-runtime/pkg/metrics/server.DefaultBindAddress=0" \
    "github.com/crossplane-contrib/provider-kubernetes/cmd/provider@$PROVIDER_KUBERNETES_RUNTIME_VERSION"
  mv "$tmp/provider" "$bin/provider-kubernetes"
  rmdir "$tmp"
}
step provider-kubernetes provider_kubernetes
# NACK's JetStream controller, from the wrapper module cluster/nack (go install fails: the proxy
# refuses NACK's version list, which go install reads to report deprecation). In --control-loop
# mode it runs a controller-runtime manager, whose metrics server would take :8080 like the
# provider's, so it is turned off the same way.
step nack bash -c "cd '$here/nack' && go build -trimpath \
  -ldflags '-X sigs.k8s.io/controller-runtime/pkg/metrics/server.DefaultBindAddress=0' \
  -o '$bin/nack-jetstream-controller' github.com/nats-io/nack/cmd/jetstream-controller"
# The Prometheus Operator's module, for its ServiceMonitor CRD (parts/prometheus-operator.sh); no
# program of it is built.
step prometheus-operator go mod download "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION"
step helm gobin "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
# chainsaw v0.2.12 does not compile with Go 1.25 or newer (its test runner lacks testing's new
# ModulePath method), so it is built with the Go toolchain it was released with, which the go
# command fetches from the module proxy as golang.org/toolchain.
step chainsaw env GOTOOLCHAIN="$CHAINSAW_GO_TOOLCHAIN" GOBIN="$bin" GOFLAGS=-buildvcs=false \
  go install "github.com/kyverno/chainsaw@$CHAINSAW_VERSION"
