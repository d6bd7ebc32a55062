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
  /** One verdict for each composed object. */
  readonly verdicts: Readonly<Partial<Record<ResourceKey, Verdict>>>;
  readonly health: Health;
  /** Absent until the Deployment exists. */
  readonly replicas?: Replicas;
}

/** The order in which objects that are not ready explain an unhealthy service. */
const CAUSE_ORDER: readonly ResourceKey[] = [
  // Without the consumer KEDA cannot read the lag either: the Consumer's error is the cause.
  'consumer',
  'scaledobject',
  'deployment',
  'service',
  'serviceaccount',
  'poddisruptionbudget',
  'servicemonitor',
];

/**
 * Health, most specific cause first: a pod problem names what to fix; then KEDA's own error;
 * then the Deployment's progress; then objects still being created. Only the `composed` objects
 * count: a claim that turns the PodDisruptionBudget off has none to wait for.
 */
export function assess(
  observed: Partial<Record<ResourceKey, unknown>>,
  pods: readonly unknown[],
  composed: readonly ResourceKey[] = RESOURCE_KEYS,
): Assessment {
  const verdicts: Partial<Record<ResourceKey, Verdict>> = Object.fromEntries(
    composed.map((key) => [key, verdictFor(key, observed[key])]),
  );
  const replicas = observed.deployment === undefined ? undefined : replicasOf(observed.deployment);
  const cause = podCause(pods);
  const notReady = CAUSE_ORDER.map((key) => verdicts[key]).find((v) => v?.ready === false);
  const deployment = verdicts.deployment ?? verdictFor('deployment', observed.deployment);
  const health: Health = (cause === undefined ? undefined : { healthy: false, ...cause }) ??
    (notReady === undefined
      ? undefined
      : { healthy: false, reason: notReady.reason, message: notReady.message }) ?? {
      healthy: true,
      reason: deployment.reason,
      message: deployment.message,
    };
  return { verdicts, health, ...(replicas === undefined ? {} : { replicas }) };
}
