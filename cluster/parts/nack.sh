# shellcheck shell=bash disable=SC2154 # here, bin, state and pki are set by cluster/up.sh
# Sourced by cluster/up.sh after nats: NACK's JetStream controller (github.com/nats-io/nack),
# built by cluster/build.sh from the wrapper module cluster/nack at NACK_VERSION, as a local
# process on loopback, in --control-loop mode (NACK's recommended install; the only mode that
# repairs drift). A claim with spec.nats.managedConsumer composes a jetstream.nats.io Consumer;
# this controller creates the durable consumer on the local nats-server from it, before any
# worker pod runs, which is what scale to zero needs (docs/adr/0009-managed-consumer.md). The CRDs
# and the ClusterRole are NACK's own, from the module's deploy/ directory.
nack_health_port=${EDS_NACK_HEALTH_PORT:-28091}

need_programs nack-jetstream-controller
free_ports "set EDS_NACK_HEALTH_PORT" "$nack_health_port"
nack_dir=$(cd "$here/nack" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly \
  go list -m -f '{{.Dir}}' github.com/nats-io/nack)
if [ ! -f "$nack_dir/deploy/crds.yml" ]; then
  echo "cluster: NACK's module is not in Go's module cache; run: bash cluster/build.sh" >&2
  exit 2
fi

"$bin/kubectl" apply --server-side --field-manager eds-cluster -f "$nack_dir/deploy/crds.yml" >/dev/null
TIMEOUT=60 until_ok "NACK's CRDs" "$bin/kubectl" wait --for condition=established --timeout 5s crd \
  streams.jetstream.nats.io consumers.jetstream.nats.io accounts.jetstream.nats.io
# NACK's ClusterRole (and its ServiceAccount and binding, unused here); the controller runs as
# user nack-controller, bound to the same role.
"$bin/kubectl" apply -f "$nack_dir/deploy/rbac.yml" >/dev/null
cert nack-controller "/CN=nack-controller"
kubeconfig nack-controller
"$bin/kubectl" create clusterrolebinding nack-controller \
  --clusterrole jetstream-controller-cluster-role --user nack-controller >/dev/null

# -s is the connection of a Consumer that names no servers; every Consumer eds composes names
# spec.nats.url. Its cache of connection files stays in the state directory.
start nack-jetstream-controller env "KUBECONFIG=$state/nack-controller.kubeconfig" \
  "$bin/nack-jetstream-controller" --control-loop -s "nats://127.0.0.1:$nats_port" \
  --cache-dir "$state/nack" --health-probe-bind-address "127.0.0.1:$nack_health_port"
TIMEOUT=60 until_ok nack-jetstream-controller curl -fsS "http://127.0.0.1:$nack_health_port/readyz"
