#!/usr/bin/env bash
# Proves KEDA's scaling on the running local cluster (parts nats, node-agent and keda): renders
# a claim with `eds render`, applies its objects, runs the real eds-worker (through the node
# agent) with a slow handler, publishes jobs, and checks that the HPA KEDA made chooses
# min(maxReplicas, ceil(lag / lagThreshold)) replicas from KEDA's external metric, that the
# queue drains with every job processed once or more and none lost, and that it scales back to
# minReplicas. Deletes what it made. Usage: EDS_CLUSTER_STATE=DIR bash cluster/checks/keda.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${EDS_CLUSTER_BIN:-$here/../.bin}
state=${EDS_CLUSTER_STATE:-$here/../.run}
export KUBECONFIG=$state/admin.kubeconfig
# shellcheck source=/dev/null
. "$state/env"
kubectl() { "$bin/kubectl" "$@"; }
ns=eds-keda-check
jobs=${EDS_KEDA_CHECK_JOBS:-25}
lag_threshold=10
max=4
work=$state/keda-check
rm -rf "$work" && mkdir -p "$work"
program() { node "$root/cluster/suite/tools/nats.mjs" "$@"; }

# Waits until "$@" prints WANT, for at most TIMEOUT s (default 180): expect WANT CMD...
expect() {
  local want=$1 out='' deadline=$((SECONDS + ${TIMEOUT:-180}))
  shift
  until out=$("$@" 2>/dev/null) && [ "$out" = "$want" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "FAIL: '$*' gave '$out', expected '$want'" >&2
      exit 1
    fi
    sleep 2
  done
}
cleanup() {
  kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
  program delete-stream "$NATS_URL" SCALE_JOBS || true
}
kubectl delete namespace "$ns" --ignore-not-found --timeout 120s >/dev/null
program delete-stream "$NATS_URL" SCALE_JOBS
trap cleanup EXIT

# The handler: 2 s per job, one job at a time per pod (the worker hands it several at once),
# one line per job processed.
cat >"$work/handler.mjs" <<JS
import { appendFileSync } from 'node:fs';
let last = Promise.resolve();
export default function handle(message) {
  const done = last.then(async () => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    appendFileSync('$work/processed', message.json().id + '\\n');
  });
  last = done.catch(() => undefined);
  return done;
}
JS
touch "$work/processed"
cat >>"$NODE_AGENT_IMAGE_MAP" <<YAML
eds.local/scale-worker:
  entrypoint: ['$(command -v node)', '$root/packages/worker/bin/eds-worker.js']
  cmd: ['$work/handler.mjs']
  portEnv: PORT
YAML

program stream "$NATS_URL" SCALE_JOBS scale.jobs
cat >"$work/claim.yaml" <<YAML
apiVersion: platform.bizmatters.io/v1alpha1
kind: EventDrivenService
metadata: { name: scale-worker, namespace: $ns }
spec:
  image: eds.local/scale-worker:v1
  nats:
    url: $NATS_URL
    monitoringEndpoint: $NATS_MONITORING_ENDPOINT
    stream: SCALE_JOBS
    consumer: scale-workers
  # cooldownPeriod 15: the HPA scales in 15 s after the queue drains (its default is 300 s).
  scaling: { minReplicas: 1, maxReplicas: $max, lagThreshold: $lag_threshold, cooldownPeriod: 15 }
YAML
kubectl create namespace "$ns" >/dev/null
node "$root/packages/cli/bin/eds.js" render "$work/claim.yaml" | kubectl apply -f - >/dev/null

expect 1 kubectl -n "$ns" get deployment scale-worker -o jsonpath='{.status.readyReplicas}'
echo "ok: the worker is Ready (1 replica)"
expect True kubectl -n "$ns" get scaledobject scale-worker-scaler -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'
echo "ok: the ScaledObject is Ready; KEDA made HPA $(kubectl -n "$ns" get hpa -o name)"

program publish "$NATS_URL" scale.jobs "$jobs"
want=$(((jobs + lag_threshold - 1) / lag_threshold))
[ "$want" -gt "$max" ] && want=$max
expect "$want" kubectl -n "$ns" get hpa keda-hpa-scale-worker-scaler -o jsonpath='{.status.desiredReplicas}'
echo "ok: $jobs jobs pending: the HPA chose $want replicas = min($max, ceil($jobs / $lag_threshold))"
expect "$want" kubectl -n "$ns" get deployment scale-worker -o jsonpath='{.status.readyReplicas}'
echo "ok: $want replicas Ready"

TIMEOUT=300 expect 0 program pending "$NATS_URL" SCALE_JOBS scale-workers
unique=$(sort -u "$work/processed" | wc -l)
[ "$unique" -eq "$jobs" ] || { echo "FAIL: $unique of $jobs jobs processed" >&2; exit 1; }
echo "ok: the queue drained; all $jobs jobs processed ($(wc -l <"$work/processed") handler runs)"
TIMEOUT=240 expect 1 kubectl -n "$ns" get deployment scale-worker -o jsonpath='{.status.replicas}'
unique=$(sort -u "$work/processed" | wc -l)
[ "$unique" -eq "$jobs" ] || { echo "FAIL: $unique of $jobs jobs processed after scale-in" >&2; exit 1; }
echo "ok: scaled back to 1 replica; still $jobs of $jobs jobs processed, none lost across scale-in"
echo "keda: all checks passed"
