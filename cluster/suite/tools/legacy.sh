#!/usr/bin/env bash
# Switches the cluster between the v2 platform API (package/platform/install.yaml) and the legacy
# one (package/legacy: an XEventDrivenService XRD with the EventDrivenService claim, composed
# into provider-kubernetes Objects). Both define the CRD eventdrivenservices.platform.bizmatters.io
# (the v2 XR, or the legacy claim), so one must be gone before the other is installed.
#   legacy.sh install   the v2 Configuration out; provider-kubernetes, its ProviderConfig
#                       kubernetes-provider and the legacy Configuration in, healthy
#   legacy.sh restore   the legacy Configuration out; the v2 Configuration back, healthy; and
#                       whatever `install` created (Provider, ProviderConfig, RBAC) removed
# Environment: EDS_PROVIDER_KUBERNETES_PACKAGE (the Provider's package, run.sh sets it from
# conformance/versions.env), EDS_PROVIDER_API_SERVER (the API server as the provider's process
# reaches it: default https://kubernetes.default.svc, for a provider that runs in a pod network;
# run.sh sets the local cluster's). A Provider or ProviderConfig the cluster already has is used
# as it is and left in place.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
install=$here/../../../package/platform/install.yaml
crd=eventdrivenservices.platform.bizmatters.io
mark=eds.local/cluster-suite=legacy
namespace=crossplane-system
account=eds-suite-provider-kubernetes
tag=$(grep -o 'ghcr.io/bizmatters/configuration-eds:[^[:space:]"]*' "$install" | head -n 1)
tag=${tag##*:}

# Waits for a package's Healthy condition; on a timeout prints its conditions.
healthy() {
  if ! kubectl wait --for condition=Healthy --timeout "${2:-180s}" "$1" >/dev/null; then
    echo "legacy: $1 is not healthy:" >&2
    kubectl get "$1" -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}' >&2
    exit 1
  fi
}

# Removes a Configuration and the XRD and Composition it installed, then, if the XRD was there,
# waits for the CRDs it defined (its finalizer deletes them once every XR and claim is gone).
remove_api() {
  local configuration=$1 xrd=$2 composition=$3 had_xrd=no crd
  shift 3
  kubectl get "xrd/$xrd" >/dev/null 2>&1 && had_xrd=yes
  kubectl delete --ignore-not-found --wait=true "configuration.pkg.crossplane.io/$configuration" >/dev/null
  # Its revisions go after it (garbage collection); until they have, a revision still puts back
  # the XRD it installed, so the XRD is deleted only then.
  if ! kubectl wait --for=delete --timeout 120s configurationrevisions.pkg.crossplane.io \
    -l "pkg.crossplane.io/package=$configuration" >/dev/null 2>&1 &&
    [ -n "$(kubectl get configurationrevisions.pkg.crossplane.io -l "pkg.crossplane.io/package=$configuration" -o name)" ]; then
    echo "legacy: the revisions of Configuration $configuration are still there after 120 s" >&2
    exit 1
  fi
  kubectl delete --ignore-not-found --wait=true "xrd/$xrd" "composition/$composition" >/dev/null
  [ "$had_xrd" = yes ] || return 0
  for crd in "$@"; do
    kubectl wait --for=delete --timeout 120s "crd/$crd" >/dev/null 2>&1 || true
    if kubectl get "crd/$crd" >/dev/null 2>&1; then
      echo "legacy: crd/$crd is still there 120 s after its XRD was deleted" >&2
      exit 1
    fi
  done
}

# Waits for a Configuration and its XRD.
api_ready() {
  healthy "configuration.pkg.crossplane.io/$1"
  kubectl wait --for condition=Established --timeout 60s "xrd/$2" >/dev/null
}

# A kubeconfig for the provider's ProviderConfig: a ServiceAccount allowed to manage what the
# legacy Composition wraps in Objects, with a token (TokenRequest, 2 h) and the cluster's CA.
provider_identity() {
  kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: ServiceAccount
metadata:
  name: $account
  namespace: $namespace
  labels: { ${mark%=*}: ${mark#*=} }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: $account
  labels: { ${mark%=*}: ${mark#*=} }
rules:
  - apiGroups: ['']
    resources: [serviceaccounts, services]
    verbs: ['*']
  - apiGroups: [apps]
    resources: [deployments]
    verbs: ['*']
  - apiGroups: [keda.sh]
    resources: [scaledobjects]
    verbs: ['*']
  - apiGroups: [policy]
    resources: [poddisruptionbudgets]
    verbs: ['*']
  - apiGroups: [monitoring.coreos.com]
    resources: [servicemonitors]
    verbs: ['*']
  - apiGroups: [jetstream.nats.io]
    resources: [consumers]
    verbs: ['*']
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: $account
  labels: { ${mark%=*}: ${mark#*=} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: $account }
subjects: [{ kind: ServiceAccount, name: $account, namespace: $namespace }]
YAML
  local token ca server kubeconfig
  token=$(kubectl -n "$namespace" create token "$account" --duration 2h)
  ca=$(kubectl config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')
  server=${EDS_PROVIDER_API_SERVER:-https://kubernetes.default.svc}
  kubeconfig=$(printf '%s\n' 'apiVersion: v1' 'kind: Config' \
    "clusters: [{ name: cluster, cluster: { server: '$server', certificate-authority-data: '$ca' } }]" \
    "users: [{ name: provider, user: { token: '$token' } }]" \
    'contexts: [{ name: provider, context: { cluster: cluster, user: provider } }]' \
    'current-context: provider')
  kubectl -n "$namespace" create secret generic "$account" --from-literal "kubeconfig=$kubeconfig" \
    --dry-run=client -o yaml | kubectl label --local -f - "$mark" -o yaml | kubectl apply -f - >/dev/null
  kubectl apply -f - >/dev/null <<YAML
apiVersion: kubernetes.crossplane.io/v1alpha1
kind: ProviderConfig
metadata:
  name: kubernetes-provider
  labels: { ${mark%=*}: ${mark#*=} }
spec:
  credentials:
    source: Secret
    secretRef: { namespace: $namespace, name: $account, key: kubeconfig }
YAML
}

case ${1:-} in
  install)
    remove_api configuration-eds "$crd" eventdrivenservice "$crd"
    if ! kubectl get providers.pkg.crossplane.io -o jsonpath='{.items[*].spec.package}' |
      grep -q provider-kubernetes; then
      package=${EDS_PROVIDER_KUBERNETES_PACKAGE:?set EDS_PROVIDER_KUBERNETES_PACKAGE (cluster/suite/run.sh does)}
      # The provider checks each Object every --poll (10 m by default); the test waits for the
      # Objects' readiness, so it polls every 10 s.
      kubectl apply -f - >/dev/null <<YAML
apiVersion: pkg.crossplane.io/v1beta1
kind: DeploymentRuntimeConfig
metadata:
  name: eds-suite-provider-kubernetes
  labels: { ${mark%=*}: ${mark#*=} }
spec:
  deploymentTemplate:
    spec:
      selector: {}
      template:
        spec:
          containers:
            - name: package-runtime
              args: [--poll=10s]
---
apiVersion: pkg.crossplane.io/v1
kind: Provider
metadata:
  name: provider-kubernetes
  labels: { ${mark%=*}: ${mark#*=} }
spec:
  package: $package
  runtimeConfigRef: { name: eds-suite-provider-kubernetes }
YAML
    fi
    for provider in $(kubectl get providers.pkg.crossplane.io -o name); do
      healthy "$provider" 240s
    done
    kubectl wait --for condition=Established --timeout 60s crd/providerconfigs.kubernetes.crossplane.io >/dev/null
    if ! kubectl get providerconfigs.kubernetes.crossplane.io kubernetes-provider >/dev/null 2>&1; then
      provider_identity
    fi
    # The provider is installed above, so its dependency is not resolved again.
    kubectl apply -f - >/dev/null <<YAML
apiVersion: pkg.crossplane.io/v1
kind: Configuration
metadata:
  name: configuration-eds-legacy
spec:
  package: ghcr.io/bizmatters/configuration-eds-legacy:$tag
  skipDependencyResolution: true
YAML
    api_ready configuration-eds-legacy xeventdrivenservices.platform.bizmatters.io
    ;;
  restore)
    # Claims and XRs first, and their Objects gone, before the XRD: Kubernetes' garbage collector
    # deletes an XR's Objects only while it can still resolve the XR's kind.
    if kubectl get crd xeventdrivenservices.platform.bizmatters.io >/dev/null 2>&1; then
      kubectl delete --ignore-not-found --wait=true --all -A eventdrivenservices.platform.bizmatters.io >/dev/null
      kubectl delete --ignore-not-found --wait=true --all xeventdrivenservices.platform.bizmatters.io >/dev/null
    fi
    # The ProviderConfig is in use until the provider has deleted every Object (and its usage).
    if ! kubectl wait --for=delete --timeout 180s objects.kubernetes.crossplane.io --all >/dev/null 2>&1 &&
      [ -n "$(kubectl get objects.kubernetes.crossplane.io -o name 2>/dev/null)" ]; then
      echo "legacy: provider-kubernetes Objects are still there 180 s after their XRs were deleted:" >&2
      kubectl get objects.kubernetes.crossplane.io -o wide >&2
      kubectl get objects.kubernetes.crossplane.io -o jsonpath='{range .items[*]}{.metadata.name}{": "}{range .status.conditions[*]}{.type}={.status} {.reason} {.message}; {end}{"\n"}{end}' >&2
      exit 1
    fi
    remove_api configuration-eds-legacy xeventdrivenservices.platform.bizmatters.io xeventdrivenservice \
      "$crd" xeventdrivenservices.platform.bizmatters.io
    kubectl apply -f "$install" >/dev/null
    api_ready configuration-eds "$crd"
    kubectl delete --ignore-not-found --timeout 120s -l "$mark" providerconfigs.kubernetes.crossplane.io >/dev/null
    kubectl delete --ignore-not-found -l "$mark" \
      providers.pkg.crossplane.io,deploymentruntimeconfigs.pkg.crossplane.io,clusterroles.rbac.authorization.k8s.io,clusterrolebindings.rbac.authorization.k8s.io >/dev/null
    kubectl -n "$namespace" delete --ignore-not-found -l "$mark" serviceaccounts,secrets >/dev/null
    ;;
  *)
    echo "usage: legacy.sh install|restore" >&2
    exit 2
    ;;
esac
