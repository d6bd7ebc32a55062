/**
 * The verdict and one-line reason for every field: `same` names the claim field that carries
 * it; `policy` and `lost` come from the rules of the object's kind.
 */
import { SECRET_SLOTS, SHUTDOWN_TIMEOUT_ENV } from '../api/constants.js';
import { SCALE_DOWN_WINDOW } from './defaults.js';
import { keyAfter, type Facts, type Rule } from './facts.js';
import { DEPLOYMENT_RULES } from './rules-deployment.js';
import { SCALED_OBJECT_RULES, SERVICE_ACCOUNT_RULES, SERVICE_RULES } from './rules-common.js';
import { POD_DISRUPTION_BUDGET_RULES } from './rules-availability.js';
import { CONSUMER_RULES } from './rules-consumer.js';
import { SERVICE_MONITOR_RULES } from './rules-metrics.js';
import { matches } from './shape.js';
import type { Verdict } from './types.js';

const RULES: ReadonlyMap<string, readonly Rule[]> = new Map([
  ['Deployment', DEPLOYMENT_RULES],
  ['Service', SERVICE_RULES],
  ['ScaledObject', SCALED_OBJECT_RULES],
  ['ServiceAccount', SERVICE_ACCOUNT_RULES],
  ['PodDisruptionBudget', POD_DISRUPTION_BUDGET_RULES],
  ['ServiceMonitor', SERVICE_MONITOR_RULES],
  ['Consumer', CONSUMER_RULES],
]);

export interface Classified {
  readonly verdict: Verdict;
  readonly reason: string;
}

/** A field that differs (or exists on one side only). */
export function classify(f: Facts): Classified {
  const rule = (RULES.get(f.kind) ?? []).find((r) => matches(r.at, f.shape));
  if (rule === undefined) {
    return f.before === undefined
      ? { verdict: 'policy', reason: 'set by the platform' }
      : { verdict: 'lost', reason: 'not representable in an EventDrivenService' };
  }
  return {
    verdict: typeof rule.verdict === 'function' ? rule.verdict(f) : rule.verdict,
    reason: typeof rule.reason === 'function' ? rule.reason(f) : rule.reason,
  };
}

const MAIN = 'spec.template.spec.containers[@main]';
const EITHER = 'spec.template.spec.{containers,initContainers}[{@main,@init}]';
const TRIGGER = 'spec.triggers[@nats].metadata';

function secretField(f: Facts): string {
  const input = f.service.input;
  if (f.shape.includes('envFrom')) {
    const name = keyAfter(f, 'envFrom').replace(/^secretRef:/, '');
    const slot = SECRET_SLOTS.find((s) => input[s] === name);
    if (slot !== undefined) return `spec.${slot}`;
    const i = (input.secretRefs ?? []).findIndex((r) => r.name === name && r.envFrom === true);
    return `spec.secretRefs[${i}]`;
  }
  const env = keyAfter(f, 'env');
  for (const [i, ref] of (input.secretRefs ?? []).entries()) {
    const j = (ref.env ?? []).findIndex((m) => m.envName === env);
    if (j !== -1) return `spec.secretRefs[${i}].env[${j}]`;
  }
  return 'fixed by the platform';
}

interface Carried {
  readonly at: string;
  /** Only for objects of this kind, when the path alone is ambiguous. */
  readonly kind?: string;
  readonly by: (f: Facts) => string;
}

const CARRIED: readonly Carried[] = [
  {
    at: 'metadata.labels.*',
    kind: 'ServiceMonitor',
    by: () => 'spec.metrics.serviceMonitor.labels',
  },
  { at: 'metadata.name', by: () => 'metadata.name' },
  { at: 'metadata.namespace', by: () => 'metadata.namespace' },
  { at: `${EITHER}.image`, by: () => 'spec.image' },
  { at: `${EITHER}.imagePullPolicy`, by: () => "follows spec.image's tag" },
  { at: `${EITHER}.resources.**`, by: (f) => `spec.size: ${f.service.spec.size}` },
  { at: `${MAIN}.env[NATS_URL].**`, by: () => 'spec.nats.url' },
  { at: `${MAIN}.env[NATS_STREAM_NAME].**`, by: () => 'spec.nats.stream' },
  { at: `${MAIN}.env[NATS_CONSUMER_GROUP].**`, by: () => 'spec.nats.consumer' },
  {
    at: `${MAIN}.env[${SHUTDOWN_TIMEOUT_ENV}].**`,
    by: () => 'spec.terminationGracePeriodSeconds',
  },
  { at: `${EITHER}.{env,envFrom}.**`, by: secretField },
  { at: 'spec.template.spec.imagePullSecrets.**', by: () => 'spec.imagePullSecrets' },
  {
    at: 'spec.template.spec.initContainers[@init].command',
    by: () => 'spec.initContainer.command',
  },
  { at: 'spec.template.spec.initContainers[@init].args', by: () => 'spec.initContainer.args' },
  {
    at: 'spec.template.spec.terminationGracePeriodSeconds',
    by: () => 'spec.terminationGracePeriodSeconds',
  },
  { at: 'spec.template.metadata.annotations.*', by: () => 'spec.podAnnotations' },
  {
    at: 'spec.template.spec.topologySpreadConstraints.**',
    by: () => 'spec.availability.topologySpread',
  },
  {
    at: 'spec.{maxUnavailable,unhealthyPodEvictionPolicy}',
    by: () => 'spec.availability.podDisruptionBudget',
  },
  { at: 'spec.scaleTargetRef.name', by: () => 'metadata.name' },
  { at: 'spec.minReplicaCount', by: () => 'spec.scaling.minReplicas' },
  { at: 'spec.maxReplicaCount', by: () => 'spec.scaling.maxReplicas' },
  { at: 'spec.pollingInterval', by: () => 'spec.scaling.pollingInterval' },
  { at: 'spec.cooldownPeriod', by: () => 'spec.scaling.cooldownPeriod' },
  { at: SCALE_DOWN_WINDOW.join('.'), by: () => 'spec.scaling.cooldownPeriod' },
  { at: `${TRIGGER}.stream`, by: () => 'spec.nats.stream' },
  { at: `${TRIGGER}.consumer`, by: () => 'spec.nats.consumer' },
  { at: `${TRIGGER}.account`, by: () => 'spec.nats.account' },
  { at: `${TRIGGER}.natsServerMonitoringEndpoint`, by: () => 'spec.nats.monitoringEndpoint' },
  { at: `${TRIGGER}.lagThreshold`, by: () => 'spec.scaling.lagThreshold' },
  { at: `${TRIGGER}.activationLagThreshold`, by: () => 'spec.scaling.activationLagThreshold' },
  { at: 'spec.endpoints[@http].interval', by: () => 'spec.metrics.serviceMonitor.interval' },
  { at: 'spec.streamName', by: () => 'spec.nats.stream' },
  { at: 'spec.durableName', by: () => 'spec.nats.consumer' },
  { at: 'spec.servers', kind: 'Consumer', by: () => 'spec.nats.url' },
  {
    at: 'spec.{ackPolicy,deliverPolicy,ackWait,maxDeliver}',
    kind: 'Consumer',
    by: () => 'spec.nats.managedConsumer: the settings the worker gives a consumer it creates',
  },
];

/** Who fills in a field left out, when it is not the API server. */
const DEFAULTED_BY: ReadonlyMap<string, string> = new Map([
  ['ScaledObject', 'KEDA'],
  ['ServiceMonitor', 'Prometheus'],
]);

/** Why an equal field is equal: the claim field that carries it, or a default. */
export function sameReason(f: Facts, defaulted: boolean): string {
  if (defaulted) {
    const who = DEFAULTED_BY.get(f.kind) ?? 'the API server';
    return `the default: ${who} sets the same value on the new object`;
  }
  const carried = CARRIED.find(
    (c) => (c.kind === undefined || c.kind === f.kind) && matches(c.at, f.shape),
  );
  return carried === undefined ? 'fixed by the platform' : carried.by(f);
}
