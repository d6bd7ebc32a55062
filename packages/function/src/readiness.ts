/** Whether each composed object is ready, from its observed state, and why not. Pure. */
import {
  deploymentCounts,
  deploymentRollout,
  type DeploymentCounts,
  type ResourceKey,
  type RolloutCheckId,
} from '@eds/core';
import { condition, get } from './object.js';

export interface Verdict {
  readonly ready: boolean;
  readonly reason: string;
  readonly message: string;
}

export interface Replicas {
  readonly replicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
}

const creating = (kind: string, hint = ''): Verdict => ({
  ready: false,
  reason: 'Creating',
  message: `${kind} has not been created yet${hint}`,
});

/**
 * A ServiceMonitor that never appears is almost always a cluster without the Prometheus
 * Operator's CRD. On the legacy target the Object is created and provider-kubernetes fails to
 * apply what it wraps, so this message is what the claim shows. On v2 Crossplane's own apply fails
 * first (`cannot apply composed resource "servicemonitor"`: not an Invalid error, so the whole
 * composition stops; crossplane v2.3.4 composite/composition_functions.go), its Synced condition
 * carries the API server's "no matches for kind" and this condition is marked Unknown
 * (docs/troubleshooting.md).
 */
export const SERVICE_MONITOR_HINT =
  "; it needs the Prometheus Operator's CRD (servicemonitors.monitoring.coreos.com): install the Prometheus Operator (e.g. the kube-prometheus-stack chart), or set spec.metrics.serviceMonitor.enabled: false";

/**
 * A Consumer that never appears is a cluster without NACK's CRD (Crossplane's apply fails with
 * "no matches for kind Consumer"); one NACK never reports on is a cluster without its controller.
 */
export const CONSUMER_HINT =
  "; it needs NACK's CRD (consumers.jetstream.nats.io) and JetStream controller: install NACK (e.g. helm install nack nats/nack --set jetstream.additionalArgs={--control-loop}), or set spec.nats.managedConsumer: false";

export function replicasOf(deployment: unknown): Replicas {
  const { wanted, ready, available } = deploymentCounts(deployment);
  return { replicas: wanted, readyReplicas: ready, availableReplicas: available };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What a rollout waits for, after the pod count: nothing more when pods are still starting. */
function waitingFor(check: RolloutCheckId, c: DeploymentCounts): string {
  switch (check) {
    case 'spec-observed':
      return `; the rollout of generation ${c.generation} has not started`;
    case 'all-updated':
      return `; ${c.updated} of ${c.wanted} run the latest spec`;
    case 'old-replicas-gone':
      return `; ${plural(c.replicas - c.updated, 'old pod')} still running`;
    case 'all-available':
      return '';
  }
}

/**
 * Core's rule (`deploymentRollout`, the same one the legacy target's CEL query is generated
 * from), with a reason and a message. A Deployment KEDA scaled to zero is idle: ready.
 */
export function deploymentVerdict(deployment: unknown): Verdict {
  if (deployment === undefined) return creating('Deployment');
  const rollout = deploymentRollout(deployment);
  const { ready, wanted } = rollout.counts;
  const pods = `${ready}/${wanted} pods ready`;
  if (!rollout.ready) {
    return {
      ready: false,
      reason: 'DeploymentNotReady',
      message: pods + waitingFor(rollout.waitingFor, rollout.counts),
    };
  }
  return wanted === 0
    ? { ready: true, reason: 'ScaledToZero', message: 'idle: KEDA scaled the service to zero' }
    : { ready: true, reason: 'Available', message: pods };
}

/** Ready when KEDA reports `Ready=True`; otherwise KEDA's own reason and message. */
export function scaledObjectVerdict(scaledObject: unknown): Verdict {
  if (scaledObject === undefined) return creating('ScaledObject');
  const ready = condition(scaledObject, 'Ready');
  if (ready?.status === 'True') {
    return { ready: true, reason: 'Ready', message: ready.message ?? 'ScaledObject is ready' };
  }
  if (ready?.status === 'False') {
    return {
      ready: false,
      reason: ready.reason ?? 'ScaledObjectNotReady',
      message: `KEDA: ${ready.message ?? 'the ScaledObject is not ready'}`,
    };
  }
  return {
    ready: false,
    reason: 'ScaledObjectNotReady',
    message: 'KEDA has not reported on the ScaledObject yet',
  };
}

/**
 * Ready once NACK reports `Ready=True` for the Consumer's current generation: the server's
 * consumer exists with this spec. `Ready=False` carries NACK's error (a missing stream, a
 * setting the server refuses to change), which is what the user must fix.
 */
export function consumerVerdict(consumer: unknown): Verdict {
  if (consumer === undefined) return creating('Consumer', CONSUMER_HINT);
  const ready = condition(consumer, 'Ready');
  const generation = get(consumer, 'metadata', 'generation');
  const observed = get(consumer, 'status', 'observedGeneration');
  if (ready?.status === 'False') {
    return {
      ready: false,
      reason: 'ConsumerNotReady',
      message: `NACK: ${ready.message ?? 'the Consumer is not ready'}`,
    };
  }
  if (ready?.status === 'True' && (generation === undefined || observed === generation)) {
    return { ready: true, reason: 'Ready', message: ready.message ?? 'Consumer is ready' };
  }
  return {
    ready: false,
    reason: 'ConsumerNotReady',
    message:
      ready === undefined
        ? "NACK has not reported on the Consumer yet: is NACK's JetStream controller running?"
        : `NACK has not applied the Consumer's generation ${String(generation)} yet`,
  };
}

/**
 * Services, ServiceAccounts, PodDisruptionBudgets and ServiceMonitors are ready once they exist:
 * none has a condition that means more. A budget that allows no disruption now (a pod not ready)
 * is not a fault of the budget; the Deployment's verdict names the pod.
 */
export function existsVerdict(kind: string, object: unknown, hint = ''): Verdict {
  return object === undefined
    ? creating(kind, hint)
    : { ready: true, reason: 'Exists', message: `${kind} exists` };
}

export function verdictFor(key: ResourceKey, object: unknown): Verdict {
  switch (key) {
    case 'deployment':
      return deploymentVerdict(object);
    case 'scaledobject':
      return scaledObjectVerdict(object);
    case 'service':
      return existsVerdict('Service', object);
    case 'serviceaccount':
      return existsVerdict('ServiceAccount', object);
    case 'poddisruptionbudget':
      return existsVerdict('PodDisruptionBudget', object);
    case 'servicemonitor':
      return existsVerdict('ServiceMonitor', object, SERVICE_MONITOR_HINT);
    case 'consumer':
      return consumerVerdict(object);
  }
}
