#!/usr/bin/env bash
# Runs the cluster suite (docs/cluster-suite.md) with chainsaw, from cluster/build.sh's .bin.
#   bash cluster/suite/run.sh                 against the local cluster cluster/up.sh started
#   bash cluster/suite/run.sh --values FILE   against the cluster of the current kubeconfig
#                                             (kind, ...), with FILE's settings (values-kind.yaml)
# Further arguments go to `chainsaw test` (e.g. --include-test-regex 'status').
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${EDS_CLUSTER_BIN:-$here/../.bin}
state=${EDS_CLUSTER_STATE:-$here/../.run}
chainsaw=${CHAINSAW:-$bin/chainsaw}
if [ ! -x "$chainsaw" ]; then
  echo "suite: $chainsaw is missing; run: bash cluster/build.sh (or set CHAINSAW)" >&2
  exit 2
fi
# shellcheck source=../../conformance/versions.env
. "$root/conformance/versions.env"
# The provider-kubernetes package the legacy test installs (tools/legacy.sh), unless the cluster
# has one.
export EDS_PROVIDER_KUBERNETES_PACKAGE=${EDS_PROVIDER_KUBERNETES_PACKAGE:-xpkg.crossplane.io/crossplane-contrib/provider-kubernetes:$PROVIDER_KUBERNETES_RUNTIME_VERSION}
args=()
# Colour codes only for a terminal: CI logs stay plain text.
[ -t 1 ] || args+=(--no-color)
if [ "${1:-}" = --values ]; then
  values=$2
  shift 2
else
  if [ ! -f "$state/env" ]; then
    echo "suite: no local cluster in $state; run: bash cluster/up.sh (or pass --values FILE)" >&2
    exit 2
  fi
  # shellcheck source=/dev/null
  . "$state/env"
  export KUBECONFIG=$state/admin.kubeconfig
  # provider-kubernetes runs as a process here, so it reaches the API server where this does.
  EDS_PROVIDER_API_SERVER=$("$bin/kubectl" config view --minify -o jsonpath='{.clusters[0].cluster.server}')
  export EDS_PROVIDER_API_SERVER
  # The example worker's image, as the node agent runs it: eds-worker with examples/worker,
  # any tag (the upgrade test rolls v1 to v2).
  if ! grep -q '^eds.local/example-worker:' "$NODE_AGENT_IMAGE_MAP"; then
    cat >>"$NODE_AGENT_IMAGE_MAP" <<YAML
eds.local/example-worker:
  entrypoint: ['$(command -v node)', '$root/packages/worker/bin/eds-worker.js']
  cmd: ['$root/examples/worker/handler.js']
  portEnv: { http: PORT }
YAML
  fi
  values=$state/suite-values.yaml
  cat >"$values" <<YAML
# Written by cluster/suite/run.sh for the local cluster.
workerRepository: eds.local/example-worker
nats:
  url: $NATS_URL
  monitoringEndpoint: $NATS_MONITORING_ENDPOINT
runner:
  natsUrl: $NATS_URL
YAML
  export PATH=$bin:$PATH
fi
start=$SECONDS
"$chainsaw" test --config "$here/.chainsaw.yaml" --test-dir "$here" --values "$values" "${args[@]}" "$@"
echo "suite: passed in $((SECONDS - start)) s"
