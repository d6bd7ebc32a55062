#!/usr/bin/env bash
# Proves the control plane cluster/up.sh started works, with kubectl: /readyz answers ok, a
# namespace can be created, and a Deployment gets a ReplicaSet and a Pod from the controller
# manager. The Pod stays Pending: there is no node yet. Deletes its namespace at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${EDS_CLUSTER_BIN:-$here/.bin}
state=${EDS_CLUSTER_STATE:-$here/.run}
export KUBECONFIG=$state/admin.kubeconfig
kubectl() { "$bin/kubectl" "$@"; }
ns=eds-check
# How long the controller manager may take to make the ReplicaSet and the Pod, in seconds.
timeout=60

# Runs "$@" once a second until it prints something, for at most $timeout seconds.
eventually() {
  local out deadline=$((SECONDS + timeout))
  until out=$("$@" 2>/dev/null) && [ -n "$out" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "cluster: nothing from '$*' after $timeout s" >&2
      return 1
    fi
    sleep 1
  done
  echo "$out"
}

ready=$(kubectl get --raw /readyz)
[ "$ready" = ok ] || {
  echo "cluster: /readyz answered '$ready'" >&2
  exit 1
}
echo "/readyz: $ready"
kubectl version
kubectl create namespace "$ns"
kubectl -n "$ns" create deployment hello --image=registry.invalid/hello:1 --replicas=1
rs=$(eventually kubectl -n "$ns" get replicasets -l app=hello -o name)
echo "ReplicaSet: $rs"
pod=$(eventually kubectl -n "$ns" get pods -l app=hello -o name)
echo "Pod: $pod"
phase=$(kubectl -n "$ns" get "$pod" -o jsonpath='{.status.phase}')
echo "Pod phase: $phase"
[ "$phase" = Pending ] || {
  echo "cluster: expected the Pod to stay Pending with no node, got '$phase'" >&2
  exit 1
}
kubectl -n "$ns" get deployments,replicasets,pods
kubectl delete namespace "$ns" --wait=false
echo "cluster: check passed"
