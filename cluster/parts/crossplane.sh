# shellcheck shell=bash disable=SC2154 # here, bin, state and pki are set by cluster/up.sh
# Sourced by cluster/up.sh after the node agent: Crossplane core (`core init`, `core start`) and
# its RBAC manager as local processes, and a local OCI registry (crane) that Crossplane's package
# manager installs our Configuration and Function packages from, as it would from ghcr.io:
# `crossplane xpkg build` builds them from package/, `crossplane xpkg push` pushes them, an
# ImageConfig rewrites ghcr.io/bizmatters to the registry, and package/platform/install.yaml (what
# users apply) is applied unchanged. Crossplane then runs the function as it runs any: a
# Deployment, which the node agent runs as a process (eds function serve, with the TLS
# certificates Crossplane made), reached over mTLS at dns:///function-eds.crossplane-system:9443
# through the node agent's service proxy (HTTPS_PROXY; gRPC hands the name to the proxy
# unresolved). Crossplane's identity and ClusterRoles are its Helm chart's, rendered by helm.
crossplane_namespace=crossplane-system
# shellcheck source=../../conformance/versions.env
. "$here/../conformance/versions.env"
# Loopback ports, each overridable: the registry, Crossplane's health probes. Its metrics server
# takes any free port; the RBAC manager's metrics server listens on :8080 (no flag changes it).
registry_port=${EDS_REGISTRY_PORT:-25000}
crossplane_health_port=${EDS_CROSSPLANE_HEALTH_PORT:-28181}
registry=127.0.0.1:$registry_port

need_programs crane crossplane crossplane-core helm provider-kubernetes
if [ -z "${SERVICE_PROXY_URL:-}" ]; then
  echo "cluster: the crossplane part needs the node-agent part before it (its service proxy)" >&2
  exit 2
fi
free_ports "set EDS_REGISTRY_PORT or EDS_CROSSPLANE_HEALTH_PORT (8080 is the RBAC manager's metrics port, which cannot be moved)" \
  "$registry_port" "$crossplane_health_port" 8080
crossplane_dir=$(cd "$here/../conformance/crossplane-core" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly \
  go list -m -f '{{.Dir}}' github.com/crossplane/crossplane/v2)
if [ ! -d "$crossplane_dir/cluster/crds" ]; then
  echo "cluster: Crossplane's module is not in Go's module cache; run: bash cluster/build.sh" >&2
  exit 2
fi

# The registry, in memory; gone when it stops. (Each name given to `start` begins with its
# program's name, which cluster/down.sh checks before it signals a recorded pid.)
start crane-registry "$bin/crane" registry serve --address "$registry"
TIMEOUT=30 until_ok registry curl -fsS "http://$registry/v2/"

# Our packages, at the tags install.yaml names, under the registry the ImageConfig maps
# ghcr.io/bizmatters to. The Function package carries no runtime image: the node agent's image
# map says what runs for it.
install=$here/../package/platform/install.yaml
packages=$state/packages
mkdir -p "$packages"
push_package() { # NAME ROOT REF: builds the package at ROOT and pushes it as REF
  local examples=()
  [ -d "$2/examples" ] && examples=(--examples-root "$2/examples")
  "$bin/crossplane" xpkg build --package-root "$2" "${examples[@]}" --package-file "$packages/$1.xpkg" >/dev/null
  "$bin/crossplane" xpkg push --package-files "$packages/$1.xpkg" "$3" >/dev/null
}
for package in function-eds configuration-eds; do
  ref=$(grep -o "ghcr.io/bizmatters/$package:[^[:space:]\"]*" "$install" | head -n 1)
  if [ -z "$ref" ]; then
    echo "cluster: $install names no ghcr.io/bizmatters/$package:TAG" >&2
    exit 1
  fi
  push_package "$package" "$here/../package/${package%-eds}" "$registry/${ref#ghcr.io/}"
done
# The legacy target (the cluster suite's legacy test installs it in place of the v2 one): our
# legacy Configuration at the same tag, and provider-kubernetes, built from its module's package/
# directory (its CRDs and metadata) and run by the node agent from cluster/build.sh's build.
push_package configuration-eds-legacy "$here/../package/legacy" \
  "$registry/bizmatters/configuration-eds-legacy:${ref##*:}"
provider_kubernetes_dir=$(GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json \
  "github.com/crossplane-contrib/provider-kubernetes@$PROVIDER_KUBERNETES_RUNTIME_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ ! -d "$provider_kubernetes_dir/package" ]; then
  echo "cluster: provider-kubernetes is not in Go's module cache; run: bash cluster/build.sh" >&2
  exit 2
fi
push_package provider-kubernetes "$provider_kubernetes_dir/package" \
  "$registry/crossplane-contrib/provider-kubernetes:$PROVIDER_KUBERNETES_RUNTIME_VERSION"

# Crossplane's identities, as its chart's ServiceAccounts would authenticate (RBAC matches a
# ServiceAccount subject by this user name), and the chart's RBAC for them: its ClusterRoles
# (crossplane aggregates every ClusterRole labelled rbac.crossplane.io/aggregate-to-crossplane,
# as package/platform/clusterrole.yaml is), bindings, ServiceAccounts and empty TLS Secrets.
sa="/O=system:serviceaccounts/O=system:serviceaccounts:$crossplane_namespace/CN=system:serviceaccount:$crossplane_namespace"
cert crossplane "$sa:crossplane"
cert crossplane-rbac-manager "$sa:rbac-manager"
kubeconfig crossplane
kubeconfig crossplane-rbac-manager
"$bin/kubectl" create namespace "$crossplane_namespace" >/dev/null
chart=()
for template in clusterrole clusterrolebinding serviceaccount secret rbac-manager-clusterrole \
  rbac-manager-clusterrolebinding rbac-manager-serviceaccount rbac-manager-managed-clusterroles \
  rbac-manager-allowed-provider-permissions; do
  chart+=(--show-only "templates/$template.yaml")
done
"$bin/helm" template crossplane "$crossplane_dir/cluster/charts/crossplane" \
  --namespace "$crossplane_namespace" "${chart[@]}" >"$state/crossplane-chart.yaml"
"$bin/kubectl" apply -n "$crossplane_namespace" -f "$state/crossplane-chart.yaml" >/dev/null

# What the chart's init container does: Crossplane's CRDs, its CA, and its client certificate
# (which it presents to functions) in Secret crossplane-tls-client, mounted here as a directory.
crossplane_env=("KUBECONFIG=$state/crossplane.kubeconfig" "POD_NAMESPACE=$crossplane_namespace"
  "POD_SERVICE_ACCOUNT=crossplane")
# (Environment, as the chart sets it: kong spells the flags --cr-ds-path and --tlsca-secret-name.)
# Init can fail on its first run when the CRDs it just created are not yet served ("no matches
# for kind Lock"); in a cluster the init container restarts, so here it is run again.
crossplane_init() {
  env "${crossplane_env[@]}" "CRDS_PATH=$crossplane_dir/cluster/crds" TLS_CA_SECRET_NAME=crossplane-root-ca \
    TLS_CLIENT_SECRET_NAME=crossplane-tls-client "$bin/crossplane-core" core init --enable-webhooks=false \
    >>"$state/logs/crossplane-init.log" 2>&1
}
for attempt in 1 2 3 4 5 6; do
  crossplane_init && break
  if [ "$attempt" = 6 ]; then
    echo "cluster: crossplane core init failed $attempt times; its log ends:" >&2
    tail -n 20 "$state/logs/crossplane-init.log" >&2
    exit 1
  fi
  sleep 2
done
client_certs=$state/crossplane-tls-client
# The package cache (an emptyDir in a cluster) must exist: Crossplane does not create it.
mkdir -p "$client_certs" "$state/crossplane-cache"
for key in ca.crt tls.crt tls.key; do
  "$bin/kubectl" -n "$crossplane_namespace" get secret crossplane-tls-client \
    -o "go-template={{index .data \"$key\" | base64decode}}" >"$client_certs/$key"
done

# Through the service proxy, function-eds.crossplane-system:9443 reaches the function's pod.
# Loopback (the API server, the registry) never goes through a proxy in Go.
start crossplane-core env "${crossplane_env[@]}" "HTTPS_PROXY=$SERVICE_PROXY_URL" \
  "$bin/crossplane-core" core start --enable-webhooks=false \
  --tls-client-secret-name crossplane-tls-client --tls-client-certs-dir "$client_certs" \
  --xpkg-cache-dir "$state/crossplane-cache" --metrics-port 0 \
  --health-probe-port "$crossplane_health_port"
start crossplane-core-rbac-manager env "KUBECONFIG=$state/crossplane-rbac-manager.kubeconfig" \
  "POD_NAMESPACE=$crossplane_namespace" "$bin/crossplane-core" rbac start \
  --provider-clusterrole crossplane:allowed-provider-permissions
TIMEOUT=60 until_ok crossplane curl -fsS "http://127.0.0.1:$crossplane_health_port/readyz"

# The function's image as the node agent runs it: eds function serve on the port it assigns to
# the container's grpc port, with TLS_SERVER_CERTS_DIR (Crossplane's Secret, mounted) as given.
cat >>"$node_agent_images" <<YAML
$registry/bizmatters/function-eds:
  entrypoint: [/bin/sh, -c, 'exec "\$0" "\$1" function serve --address "127.0.0.1:\$EDS_FUNCTION_PORT"', '$node_bin', '$here/../packages/cli/bin/eds.js']
  portEnv: { grpc: EDS_FUNCTION_PORT }
# provider-kubernetes as its image runs it (ENTRYPOINT provider, no arguments).
$registry/crossplane-contrib/provider-kubernetes:
  entrypoint: ['$bin/provider-kubernetes']
YAML

"$bin/kubectl" apply -f - >/dev/null <<YAML
apiVersion: pkg.crossplane.io/v1beta1
kind: ImageConfig
metadata:
  name: eds-local-registry
spec:
  matchImages:
    - type: Prefix
      prefix: ghcr.io/bizmatters
  rewriteImage:
    prefix: $registry/bizmatters
---
apiVersion: pkg.crossplane.io/v1beta1
kind: ImageConfig
metadata:
  name: eds-local-registry-crossplane-contrib
spec:
  matchImages:
    - type: Prefix
      prefix: xpkg.crossplane.io/crossplane-contrib
  rewriteImage:
    prefix: $registry/crossplane-contrib
YAML
"$bin/kubectl" apply -f "$here/../package/platform/clusterrole.yaml" -f "$install" >/dev/null
TIMEOUT=180 until_ok "Function function-eds" "$bin/kubectl" wait --for condition=Healthy --timeout 5s \
  function.pkg.crossplane.io/function-eds
TIMEOUT=180 until_ok "Configuration configuration-eds" "$bin/kubectl" wait --for condition=Healthy \
  --timeout 5s configuration.pkg.crossplane.io/configuration-eds
TIMEOUT=60 until_ok "the EventDrivenService XRD" "$bin/kubectl" wait --for condition=Established \
  --timeout 5s xrd/eventdrivenservices.platform.bizmatters.io

{
  echo "CROSSPLANE_NAMESPACE=$crossplane_namespace"
  echo "REGISTRY=$registry"
} >>"$state/env"
