/**
 * Autoscaling settings from the ScaledObject: replica bounds, lag thresholds and timings. A field
 * the ScaledObject leaves out means KEDA's default, which the claim states whenever its own
 * default differs (KEDA polls every 30 s; a claim that says nothing polls every 5 s).
 */
import { at } from './own.js';
import { DEFAULTS } from '../api/constants.js';
import { KEDA_DEFAULTS, SCALE_DOWN_WINDOW } from './defaults.js';
import type { ServiceGroup } from './group.js';
import type { Notes } from './nats.js';

type Obj = Record<string, unknown>;

interface Field {
  readonly path: string;
  /** What KEDA uses when the ScaledObject leaves the field out. */
  readonly keda: number;
  /** What the claim means when it leaves the field out. */
  readonly claim: number;
  readonly min: number;
  readonly max: number;
}

type Name =
  | 'minReplicas'
  | 'maxReplicas'
  | 'lagThreshold'
  | 'pollingInterval'
  | 'cooldownPeriod'
  | 'activationLagThreshold';

const field = (name: Name, keda: number, claim: number, min: number, max: number): Field => ({
  path: `spec.scaling.${name}`,
  keda,
  claim,
  min,
  max,
});

const K = KEDA_DEFAULTS;
const D = DEFAULTS;

/** The claim's fields in claim order, with the ranges the schema accepts. */
const FIELDS: Readonly<Record<Name, Field>> = {
  minReplicas: field('minReplicas', K.minReplicaCount, D.minReplicas, 0, 1000),
  maxReplicas: field('maxReplicas', K.maxReplicaCount, D.maxReplicas, 1, 1000),
  lagThreshold: field('lagThreshold', K.lagThreshold, D.lagThreshold, 1, 1_000_000),
  pollingInterval: field('pollingInterval', K.pollingInterval, D.pollingInterval, 1, 3600),
  cooldownPeriod: field('cooldownPeriod', K.cooldownPeriod, D.cooldownPeriod, 0, 86400),
  // Left out of a claim, it is left out of the trigger, and KEDA's default applies.
  activationLagThreshold: field(
    'activationLagThreshold',
    K.activationLagThreshold,
    K.activationLagThreshold,
    0,
    1_000_000,
  ),
};

function int(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/** `value` as a whole number in the field's range, or a warning and `undefined`. */
function whole(f: Field, label: string, value: unknown, notes: Notes, then: string) {
  const n = int(value);
  if (n !== undefined && n >= f.min && n <= f.max) return n;
  notes.warnings.push(
    `${label}: ${JSON.stringify(value)} is not a whole number from ${f.min} to ${f.max}; ${then}`,
  );
  return undefined;
}

/** What the manifests say for a field, or KEDA's default (noted when the claim's differs). */
function stated(name: Name, value: unknown, notes: Notes): number | undefined {
  const f = FIELDS[name];
  if (value !== undefined) return whole(f, f.path, value, notes, "the claim's default applies");
  if (f.keda !== f.claim) {
    notes.assumptions.push({
      field: f.path,
      value: f.keda,
      reason: `the ScaledObject leaves it out, so KEDA used its default (${f.keda}); the claim keeps it`,
    });
  }
  return f.keda;
}

/**
 * `spec.scaling.cooldownPeriod` sets both KEDA's `cooldownPeriod` and the HPA's scale-down
 * stabilization window. When the manifests give them different values the claim keeps the one
 * that decides when pods go after the queue drains, and the comparison reports the other: with
 * minReplicas 0, KEDA's (it scales straight to zero); otherwise the window, since KEDA's
 * `cooldownPeriod` then has no effect.
 */
function cooldown(spec: unknown, minReplicas: number, notes: Notes): number | undefined {
  const f = FIELDS.cooldownPeriod;
  const keda = stated('cooldownPeriod', at(spec, 'cooldownPeriod'), notes);
  const value = at(spec, ...SCALE_DOWN_WINDOW.slice(1));
  const label = `${f.path} (from ${SCALE_DOWN_WINDOW.join('.')})`;
  const window =
    value === undefined ? K.scaleDownWindow : whole(f, label, value, notes, 'the claim ignores it');
  if (keda === undefined || window === undefined) return keda ?? window;
  return keda === window || minReplicas === 0 ? keda : window;
}

export function scaling(group: ServiceGroup, trigger: Obj | undefined, notes: Notes): Obj {
  const so = group.scaledObject?.object;
  if (so === undefined) {
    const replicas = at(group.deployment.object, 'spec', 'replicas');
    notes.assumptions.push({
      field: 'spec.scaling',
      value: {
        minReplicas: D.minReplicas,
        maxReplicas: D.maxReplicas,
        lagThreshold: D.lagThreshold,
        pollingInterval: D.pollingInterval,
        cooldownPeriod: D.cooldownPeriod,
      },
      reason: `no ScaledObject targets the Deployment, so KEDA scales it with the defaults${replicas === undefined ? '' : ` (the Deployment had a fixed replicas: ${JSON.stringify(replicas)})`}`,
    });
    return {};
  }
  const spec = at(so, 'spec');
  const meta = at(trigger, 'metadata');
  const minReplicas = stated('minReplicas', at(spec, 'minReplicaCount'), notes);
  const values: Record<Name, number | undefined> = {
    minReplicas,
    maxReplicas: stated('maxReplicas', at(spec, 'maxReplicaCount'), notes),
    lagThreshold:
      trigger === undefined ? undefined : stated('lagThreshold', at(meta, 'lagThreshold'), notes),
    pollingInterval: stated('pollingInterval', at(spec, 'pollingInterval'), notes),
    cooldownPeriod: cooldown(spec, minReplicas ?? D.minReplicas, notes),
    activationLagThreshold:
      trigger === undefined
        ? undefined
        : stated('activationLagThreshold', at(meta, 'activationLagThreshold'), notes),
  };
  const out: Obj = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== FIELDS[name as Name].claim) out[name] = value;
  }
  return out;
}
