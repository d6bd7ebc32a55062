# shellcheck shell=bash disable=SC2154 # here, bin, state and pki are set by cluster/up.sh
# Sourced by cluster/up.sh: KEDA's operator and its metrics API server (the adapter), built by
# cluster/build.sh from the wrapper module cluster/keda at KEDA_VERSION, as local processes on
# loopback. KEDA's CRDs and RBAC come from the module's own config/ directory. The API server's
# aggregation layer serves external.metrics.k8s.io from the adapter through an ExternalName
# Service to localhost (no DNS, kube-proxy or Endpoints needed: docs/local-cluster.md, "KEDA"),
# so the HPA controller reads the metrics KEDA's scalers produce, as in a real cluster.
keda_namespace=keda
# Loopback ports, each overridable: the operator's Prometheus metrics and health probes, its
# gRPC metrics service (which the adapter calls; upstream 9666), and the adapter's HTTPS port
# (upstream 6443), which the aggregator reaches as the APIService's port.
keda_operator_metrics_port=${EDS_KEDA_OPERATOR_METRICS_PORT:-28080}
keda_operator_health_port=${EDS_KEDA_OPERATOR_HEALTH_PORT:-28081}
keda_grpc_port=${EDS_KEDA_GRPC_PORT:-29666}
keda_adapter_port=${EDS_KEDA_ADAPTER_PORT:-26643}
# The adapter's Prometheus /metrics port. The adapter listens on ":PORT", every interface, with no
# flag for the address; 0 (the default here) takes any free port, so it cannot collide.
keda_adapter_metrics_port=${EDS_KEDA_ADAPTER_METRICS_PORT:-0}

need_programs keda-operator keda-adapter
free_ports "set EDS_KEDA_OPERATOR_METRICS_PORT, EDS_KEDA_OPERATOR_HEALTH_PORT, EDS_KEDA_GRPC_PORT or EDS_KEDA_ADAPTER_PORT" \
  "$keda_operator_metrics_port" "$keda_operator_health_port" "$keda_grpc_port" "$keda_adapter_port"
# KEDA's manifests, from the module the binaries were built from (Go's module cache).
keda_dir=$(cd "$here/keda" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly \
  go list -m -f '{{.Dir}}' github.com/kedacore/keda/v2)
if [ ! -d "$keda_dir/config/crd" ]; then
  echo "cluster: KEDA's module is not in Go's module cache; run: bash cluster/build.sh" >&2
  exit 2
fi

# The operator's gRPC metrics service and the adapter's client of it use mutual TLS from one
# directory holding ca.crt, tls.crt and tls.key, as both mount Secret kedaorg-certs in a cluster.
# Its CA is KEDA's own, so no other certificate of this cluster can call the service.
openssl ecparam -name prime256v1 -genkey -noout -out "$pki/keda-ca.key"
openssl req -x509 -new -key "$pki/keda-ca.key" -subj "/CN=eds-local-keda-ca" -days 7 -sha256 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$pki/keda-ca.crt"
ca=keda-ca cert keda-grpc "/O=KEDAORG/CN=keda-operator" "IP:127.0.0.1,DNS:localhost"
mkdir -p "$state/keda-certs"
cp "$pki/keda-ca.crt" "$state/keda-certs/ca.crt"
cp "$pki/keda-grpc.crt" "$state/keda-certs/tls.crt"
cp "$pki/keda-grpc.key" "$state/keda-certs/tls.key"
# The adapter's serving certificate: the aggregator verifies the name <service>.<namespace>.svc
# against the APIService's caBundle, our CA.
cert keda-adapter-serving "/CN=keda-metrics-apiserver" \
  "IP:127.0.0.1,DNS:localhost,DNS:keda-metrics-apiserver.$keda_namespace.svc"
# The identities they use with the API server (in a cluster both run as ServiceAccount
# keda/keda-operator), bound below to KEDA's own ClusterRoles and Role.
cert keda-operator "/CN=keda-operator"
cert keda-adapter "/CN=keda-adapter"
kubeconfig keda-operator
kubeconfig keda-adapter

"$bin/kubectl" create namespace "$keda_namespace" >/dev/null
# The CRDs with KEDA's kustomize patches, as its release manifest has them; server-side, because
# the ScaledJob CRD is too large for client-side apply's last-applied annotation.
"$bin/kubectl" apply --server-side --field-manager eds-cluster -k "$keda_dir/config/crd" >/dev/null
# (kubectl wait fails at once while a CRD has no conditions yet, so until_ok retries it.)
TIMEOUT=60 until_ok "KEDA's CRDs" "$bin/kubectl" wait --for condition=established --timeout 5s crd \
  scaledobjects.keda.sh scaledjobs.keda.sh triggerauthentications.keda.sh \
  clustertriggerauthentications.keda.sh cloudeventsources.eventing.keda.sh \
  clustercloudeventsources.eventing.keda.sh
# KEDA's roles: ClusterRole and Role keda-operator (config/rbac) and keda-external-metrics-reader
# (config/metrics-server). The bindings are upstream's, with our users as subjects.
"$bin/kubectl" apply -f "$keda_dir/config/rbac/role.yaml" -f "$keda_dir/config/metrics-server/role.yaml" >/dev/null
"$bin/kubectl" create clusterrolebinding keda-operator --clusterrole keda-operator \
  --user keda-operator --user keda-adapter >/dev/null
"$bin/kubectl" -n "$keda_namespace" create rolebinding keda-operator --role keda-operator --user keda-operator >/dev/null
"$bin/kubectl" create clusterrolebinding keda-system-auth-delegator --clusterrole system:auth-delegator \
  --user keda-adapter >/dev/null
"$bin/kubectl" -n kube-system create rolebinding keda-auth-reader --role extension-apiserver-authentication-reader \
  --user keda-adapter >/dev/null
"$bin/kubectl" create clusterrolebinding keda-hpa-controller-external-metrics \
  --clusterrole keda-external-metrics-reader --serviceaccount kube-system:horizontal-pod-autoscaler >/dev/null

# Environment both read in a cluster from their Deployments: every namespace watched, their own
# namespace; and (out of cluster) the namespace a ServiceAccount token would name. KUBECONFIG is
# set as well as --kubeconfig, since up.sh exports the admin's.
keda_env=(WATCH_NAMESPACE= "POD_NAMESPACE=$keda_namespace" "KEDA_CLUSTER_OBJECT_NAMESPACE=$keda_namespace")
# Cert rotation stays off (KEDA's default; its manifest turns it on): it would make its own CA into
# Secret kedaorg-certs and patch the APIService, where ours are given. Leader election is off too.
start keda-operator env "${keda_env[@]}" "KUBECONFIG=$state/keda-operator.kubeconfig" "$bin/keda-operator" \
  --kubeconfig "$state/keda-operator.kubeconfig" \
  --metrics-bind-address "127.0.0.1:$keda_operator_metrics_port" \
  --health-probe-bind-address "127.0.0.1:$keda_operator_health_port" \
  --metrics-service-bind-address "127.0.0.1:$keda_grpc_port" \
  --cert-dir "$state/keda-certs" --enable-cert-rotation=false --leader-elect=false \
  --zap-log-level info --zap-encoder console --zap-time-encoding rfc3339
TIMEOUT=60 until_ok keda-operator curl -fsS "http://127.0.0.1:$keda_operator_health_port/readyz"
start keda-adapter env "${keda_env[@]}" "KUBECONFIG=$state/keda-adapter.kubeconfig" "$bin/keda-adapter" \
  --kubeconfig "$state/keda-adapter.kubeconfig" --lister-kubeconfig "$state/keda-adapter.kubeconfig" \
  --authentication-kubeconfig "$state/keda-adapter.kubeconfig" \
  --authorization-kubeconfig "$state/keda-adapter.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port "$keda_adapter_port" \
  --tls-cert-file "$pki/keda-adapter-serving.crt" --tls-private-key-file "$pki/keda-adapter-serving.key" \
  --cert-dir "$state/keda-certs" --metrics-service-address "127.0.0.1:$keda_grpc_port" \
  --port "$keda_adapter_metrics_port" --zap-log-level info --zap-encoder console

# The aggregator resolves an ExternalName Service to https://<externalName>:<APIService port>
# (k8s.io/apiserver/pkg/util/proxy ResolveCluster) and checks no Endpoints for it.
"$bin/kubectl" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Service
metadata:
  name: keda-metrics-apiserver
  namespace: $keda_namespace
spec:
  type: ExternalName
  externalName: localhost
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1beta1.external.metrics.k8s.io
spec:
  group: external.metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  service:
    name: keda-metrics-apiserver
    namespace: $keda_namespace
    port: $keda_adapter_port
  caBundle: $(base64 -w0 "$pki/ca.crt")
EOF
TIMEOUT=90 until_ok external.metrics.k8s.io "$bin/kubectl" get --raw /apis/external.metrics.k8s.io/v1beta1

{
  echo "KEDA_NAMESPACE=$keda_namespace"
  echo "KEDA_OPERATOR_METRICS_URL=http://127.0.0.1:$keda_operator_metrics_port/metrics"
  echo "KEDA_OPERATOR_HEALTH_URL=http://127.0.0.1:$keda_operator_health_port/readyz"
} >>"$state/env"
