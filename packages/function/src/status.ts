/** The service's health condition and replica counts, from everything observed. Pure. */
import { RESOURCE_KEYS, type ResourceKey } from '@eds/core';
import { podCause } from './pods.js';
import { replicasOf, verdictFor, type Replicas, type Verdict } from './readiness.js';

export interface Health {
  readonly healthy: boolean;
  readonly reason: string;
  readonly message: string;
}

export interface Assessment {
  readonly verdicts: Readonly<Record<ResourceKey, Verdict>>;
  readonly health: Health;
  /** Absent until the Deployment exists. */
  readonly replicas?: Replicas;
}

/**
 * Health, most specific cause first: a pod problem names what to fix; then KEDA's own error;
 * then the Deployment's progress; then objects still being created.
 */
export function assess(
  observed: Partial<Record<ResourceKey, unknown>>,
  pods: readonly unknown[],
): Assessment {
  const verdicts = Object.fromEntries(
    RESOURCE_KEYS.map((key) => [key, verdictFor(key, observed[key])]),
  ) as Record<ResourceKey, Verdict>;
  const replicas = observed.deployment === undefined ? undefined : replicasOf(observed.deployment);
  const cause = podCause(pods);
  const notReady = (key: ResourceKey): Health | undefined => {
    const v = verdicts[key];
    return v.ready ? undefined : { healthy: false, reason: v.reason, message: v.message };
  };
  const deployment = verdicts.deployment;
  const health: Health = (cause === undefined ? undefined : { healthy: false, ...cause }) ??
    notReady('scaledobject') ??
    notReady('deployment') ??
    notReady('service') ??
    notReady('serviceaccount') ?? {
      healthy: true,
      reason: deployment.reason,
      message: deployment.message,
    };
  return { verdicts, health, ...(replicas === undefined ? {} : { replicas }) };
}
