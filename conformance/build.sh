#!/usr/bin/env bash
# Builds the upstream programs the conformance suite runs, from their Go modules, at the versions
# in versions.env, into $EDS_CONFORMANCE_BIN (default conformance/.bin). Each program is built
# from a small wrapper module of ours (go.mod and go.sum only, plus harness code); no upstream
# source is kept in this repository. Go's build and module caches stay in their default places,
# so a second run only relinks what changed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"
bin=${EDS_CONFORMANCE_BIN:-$here/.bin}
mkdir -p "$bin"
label=conformance
# shellcheck source=go-wrappers.sh
. "$here/go-wrappers.sh"

k8s="v0.${KUBERNETES_VERSION#v1.}"

pin crossplane-cli github.com/crossplane/cli/v2 "$CROSSPLANE_CLI_VERSION"
pin crossplane-core github.com/crossplane/crossplane/v2 "$CROSSPLANE_VERSION"
pin crossplane-core github.com/crossplane/crossplane/apis/v2 "$CROSSPLANE_VERSION"
pin crossplane-core github.com/crossplane/crossplane-runtime/v2 "$CROSSPLANE_RUNTIME_VERSION"
pin keda-scaler github.com/kedacore/keda/v2 "$KEDA_VERSION"
pin kube-check k8s.io/pod-security-admission "$k8s"
pin kube-check k8s.io/apiextensions-apiserver "$k8s"
pin kube-check github.com/crossplane/crossplane-runtime/v2 "$CROSSPLANE_RUNTIME_VERSION"
pin kube-check github.com/crossplane/crossplane/apis/v2 "$CROSSPLANE_VERSION"

build() {
  (cd "$here/$1" && go build -trimpath -o "$bin/$2" "$3")
}

step crossplane build crossplane-cli crossplane github.com/crossplane/cli/v2/cmd/crossplane
step crossplane-core build crossplane-core crossplane-core github.com/crossplane/crossplane/v2/cmd/crossplane
step keda-scaler build keda-scaler keda-scaler .
step kube-check build kube-check kube-check .

# Where the upstream modules' own data (CRDs) lies in the module cache, for the tests to read.
moddir() {
  (cd "$here/$1" && go list -m -f '{{with .Replace}}{{.Dir}}{{else}}{{.Dir}}{{end}}' "$2")
}
provider_kubernetes=$(go mod download -json \
  "github.com/crossplane-contrib/provider-kubernetes@$PROVIDER_KUBERNETES_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
# NACK's CRDs (the Consumer a managed consumer is composed as); no program of it is built here.
nack=$(go mod download -json "github.com/nats-io/nack@$NACK_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
# The ServiceMonitor CRD ships in the module's example/prometheus-operator-crd/; only the module is
# downloaded (its Go packages are never built), and the tests read the CRD from the module cache.
prometheus_operator=$(go mod download -json \
  "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
cat >"$bin/upstream.env" <<ENV
CROSSPLANE_DIR=$(moddir crossplane-core github.com/crossplane/crossplane/v2)
KEDA_DIR=$(moddir keda-scaler github.com/kedacore/keda/v2)
PROVIDER_KUBERNETES_DIR=$provider_kubernetes
NACK_DIR=$nack
PROMETHEUS_OPERATOR_DIR=$prometheus_operator
ENV
echo "conformance: upstream module directories in $bin/upstream.env"
