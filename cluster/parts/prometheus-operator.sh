# shellcheck shell=bash disable=SC2154 # here, bin and state are set by cluster/up.sh
# Sourced by cluster/up.sh: the Prometheus Operator's ServiceMonitor CRD, from its Go module at
# PROMETHEUS_OPERATOR_VERSION (conformance/versions.env), so a claim with
# spec.metrics.serviceMonitor.enabled composes and the API server validates the ServiceMonitor
# against the operator's own schema. No operator or Prometheus runs here: nothing scrapes it.
# shellcheck source=../../conformance/versions.env
. "$here/../conformance/versions.env"
prometheus_operator_dir=$(GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json \
  "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
servicemonitor_crd=$prometheus_operator_dir/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml
if [ ! -f "$servicemonitor_crd" ]; then
  echo "cluster: the Prometheus Operator's module is not in Go's module cache; run: bash cluster/build.sh" >&2
  exit 2
fi
"$bin/kubectl" apply --server-side --field-manager eds-cluster -f "$servicemonitor_crd" >/dev/null
TIMEOUT=60 until_ok "the ServiceMonitor CRD" "$bin/kubectl" wait --for condition=established \
  --timeout 5s crd servicemonitors.monitoring.coreos.com
