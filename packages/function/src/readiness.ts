/** Whether each composed object is ready, from its observed state, and why not. Pure. */
import type { ResourceKey } from '@eds/core';
import { condition, get, num } from './object.js';

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

const creating = (kind: string): Verdict => ({
  ready: false,
  reason: 'Creating',
  message: `${kind} has not been created yet`,
});

export function replicasOf(deployment: unknown): Replicas {
  return {
    replicas: num(get(deployment, 'spec', 'replicas')) ?? 1,
    readyReplicas: num(get(deployment, 'status', 'readyReplicas')) ?? 0,
    availableReplicas: num(get(deployment, 'status', 'availableReplicas')) ?? 0,
  };
}

/**
 * Ready when the controller has seen the latest spec and every wanted replica is updated and
 * available. A Deployment KEDA scaled to zero is idle, which counts as ready.
 */
export function deploymentVerdict(deployment: unknown): Verdict {
  if (deployment === undefined) return creating('Deployment');
  const generation = num(get(deployment, 'metadata', 'generation')) ?? 0;
  const observed = num(get(deployment, 'status', 'observedGeneration')) ?? 0;
  const {
    replicas: wanted,
    readyReplicas: ready,
    availableReplicas: available,
  } = replicasOf(deployment);
  if (observed < generation) {
    return {
      ready: false,
      reason: 'DeploymentNotReady',
      message: `${ready}/${wanted} pods ready; the rollout of generation ${generation} has not started`,
    };
  }
  if (wanted === 0) {
    return {
      ready: true,
      reason: 'ScaledToZero',
      message: 'idle: KEDA scaled the service to zero',
    };
  }
  const updated = num(get(deployment, 'status', 'updatedReplicas')) ?? 0;
  const total = num(get(deployment, 'status', 'replicas')) ?? 0;
  if (updated >= wanted && available >= wanted && total <= wanted) {
    return { ready: true, reason: 'Available', message: `${ready}/${wanted} pods ready` };
  }
  return { ready: false, reason: 'DeploymentNotReady', message: `${ready}/${wanted} pods ready` };
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

/** Services and ServiceAccounts are ready once they exist. */
export function existsVerdict(kind: string, object: unknown): Verdict {
  return object === undefined
    ? creating(kind)
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
  }
}
