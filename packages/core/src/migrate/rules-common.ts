/** Rules shared by every kind, and the rules of the Service, ScaledObject and ServiceAccount. */
import { SCALER_SUFFIX } from '../api/rules.js';
import { KEDA_DEFAULTS, SCALE_DOWN_WINDOW } from './defaults.js';
import { json, type Facts, type Rule } from './facts.js';

export const ANNOTATIONS = "annotations are not representable; the platform's objects carry none";
export const SERVICE_ACCOUNT_NAME =
  'each service runs as its own ServiceAccount, named after the service';
export const AUTOMOUNT = 'no Kubernetes API token is mounted: workers do not call the API';
export const SCHEDULING =
  '{nodeSelector,nodeName,affinity,tolerations,topologySpreadConstraints,priorityClassName,priority,runtimeClassName,schedulingGates}';

/** Labels that say what an object is; the platform's own labels replace them. */
const ROLE_LABELS = new Set([
  'app',
  'name',
  'component',
  'version',
  'tier',
  'release',
  'chart',
  'heritage',
  'helm.sh/chart',
]);

const isRoleLabel = (key: string) => ROLE_LABELS.has(key) || key.startsWith('app.kubernetes.io/');

export function labelRule(at: string): Rule {
  const custom = (f: Facts) => f.before !== undefined && !isRoleLabel(f.shape.at(-1) ?? '');
  return {
    at,
    verdict: (f) => (custom(f) ? 'lost' : 'policy'),
    reason: (f) =>
      custom(f)
        ? `label ${json(f.shape.at(-1))} is not representable: the platform sets only its standard labels`
        : `the platform labels its objects app.kubernetes.io/name, component, managed-by and version; select on app.kubernetes.io/name=${f.service.name} instead`,
  };
}

const COMMON: readonly Rule[] = [
  labelRule('metadata.labels.*'),
  { at: 'metadata.annotations.**', verdict: 'lost', reason: ANNOTATIONS },
];

const TRIGGER = 'spec.triggers[@nats]';

/** A value that KEDA reads as a string, written as a number (or the reverse). */
const scalar = (v: unknown) =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
const onlyType = (f: Facts) =>
  scalar(f.before) !== undefined && scalar(f.before) === scalar(f.after);

const STRINGS = 'KEDA requires trigger metadata values to be strings';

export const SERVICE_RULES: readonly Rule[] = [
  ...COMMON,
  {
    at: 'metadata.name',
    verdict: 'policy',
    reason: (f) =>
      `the Service is named after the service; clients must call ${f.service.name} instead of ${json(f.before)}`,
  },
  {
    at: 'spec.selector.**',
    verdict: 'policy',
    reason: 'the platform selects pods by app.kubernetes.io/name',
  },
  { at: 'spec.ports[@http].name', verdict: 'policy', reason: 'port 8080 is named http' },
  {
    at: 'spec.ports[@http].targetPort',
    verdict: 'policy',
    reason: 'the Service targets the container port by its name, http',
  },
  {
    at: 'spec.ports[@http].port',
    verdict: 'lost',
    reason: (f) =>
      `the Service listens on port 8080 only; clients calling port ${json(f.before)} must switch`,
  },
  {
    at: 'spec.ports.**',
    verdict: 'lost',
    reason: 'only port 8080 (http) is representable on the Service',
  },
  {
    at: 'spec.type',
    verdict: 'lost',
    reason: 'the Service is ClusterIP only; expose the service some other way',
  },
  {
    at: '**',
    verdict: (f) => (f.before === undefined ? 'policy' : 'lost'),
    reason: (f) =>
      f.before === undefined ? 'set by the platform' : 'not representable on the Service',
  },
];

const COOLDOWN_RANGE = 'outside the range spec.scaling.cooldownPeriod accepts (0–86400)';
const inCooldownRange = (v: unknown) =>
  v === undefined || (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 86400);
/** The manifests' value, or the default they left it at. */
const was = (f: Facts, byDefault: number, whose: string) =>
  f.before === undefined ? `${byDefault} (${whose} default)` : json(f.before);

function kedaCooldown(f: Facts): string {
  if (!inCooldownRange(f.before)) return COOLDOWN_RANGE;
  const min = f.service.spec.scaling.minReplicas;
  if (min === 0) {
    return `one field, spec.scaling.cooldownPeriod, sets both this and the HPA's scale-down stabilization window; the claim keeps ${json(f.after)}`;
  }
  const keep =
    f.before === undefined
      ? ''
      : ` (set that to ${json(f.before)} for pods to go ${json(f.before)} s after the lag drops)`;
  return `KEDA's cooldownPeriod times only the scale to zero, which minReplicas ${min} rules out, so ${was(f, KEDA_DEFAULTS.cooldownPeriod, "KEDA's")} had no effect; the platform sets it and the HPA's scale-down window from spec.scaling.cooldownPeriod${keep}`;
}

function scaleDownWindow(f: Facts): string {
  if (!inCooldownRange(f.before)) return COOLDOWN_RANGE;
  const value = f.before ?? KEDA_DEFAULTS.scaleDownWindow;
  return `one field, spec.scaling.cooldownPeriod, sets both this window and KEDA's cooldownPeriod; with minReplicas 0 the claim keeps KEDA's (${json(f.after)}), which decides when the last pods go, so this window's ${was(f, KEDA_DEFAULTS.scaleDownWindow, "the HPA's")} is lost; set spec.scaling.cooldownPeriod: ${json(value)} to use it for both`;
}

/**
 * spec.scaling.cooldownPeriod sets both fields; when the manifests' differ, the claim keeps the
 * one that decides when pods go (see migrate/scaling.ts) and the other is reported here: lost,
 * unless it is KEDA's cooldownPeriod with minReplicas above 0, which never acted.
 */
const COOLDOWN_RULES: readonly Rule[] = [
  {
    at: 'spec.cooldownPeriod',
    verdict: (f) =>
      inCooldownRange(f.before) && f.service.spec.scaling.minReplicas > 0 ? 'policy' : 'lost',
    reason: kedaCooldown,
  },
  { at: SCALE_DOWN_WINDOW.join('.'), verdict: 'lost', reason: scaleDownWindow },
];

export const SCALED_OBJECT_RULES: readonly Rule[] = [
  ...COMMON,
  {
    at: 'metadata.name',
    verdict: 'policy',
    reason: (f) => `the ScaledObject is named ${f.service.name}${SCALER_SUFFIX}`,
  },
  {
    at: `${TRIGGER}.metadata.account`,
    verdict: 'policy',
    reason: (f) =>
      f.before === '$SYS'
        ? 'JetStream never runs in the system account $SYS, so KEDA found no lag there; the platform uses $G (set spec.nats.account if your server defines accounts)'
        : 'KEDA needs an account; the platform uses $G, where JetStream lives when the server defines no accounts',
  },
  {
    at: `${TRIGGER}.metadata.natsServerMonitoringEndpoint`,
    verdict: (f) => (f.before === undefined ? 'policy' : 'lost'),
    reason: (f) =>
      f.before === undefined
        ? 'KEDA needs the monitoring endpoint; the platform sets it'
        : 'not representable as spec.nats.monitoringEndpoint',
  },
  {
    at: `${TRIGGER}.metadata.{stream,consumer}`,
    verdict: (f) => (onlyType(f) ? 'policy' : 'lost'),
    reason: (f) => {
      if (onlyType(f)) return STRINGS;
      const field = f.shape.at(-1) === 'stream' ? 'NATS_STREAM_NAME' : 'NATS_CONSUMER_GROUP';
      return `the ScaledObject watched ${json(f.before)} but the worker consumes ${json(f.after)} (${field}); the platform uses one value for both`;
    },
  },
  {
    at: `${TRIGGER}.metadata.{lagThreshold,activationLagThreshold}`,
    verdict: (f) => (onlyType(f) ? 'policy' : 'lost'),
    reason: (f) => {
      if (onlyType(f)) return STRINGS;
      const key = f.shape.at(-1) ?? '';
      return `${key} must be a whole number from ${key === 'lagThreshold' ? 1 : 0} to 1000000`;
    },
  },
  {
    at: `${TRIGGER}.**`,
    verdict: 'lost',
    reason:
      "not representable: the platform's trigger sets only the stream, consumer, account, endpoint, lagThreshold and activationLagThreshold",
  },
  {
    at: 'spec.triggers.**',
    verdict: 'lost',
    reason: "only one nats-jetstream trigger, on the service's own consumer, is representable",
  },
  {
    at: 'spec.{minReplicaCount,maxReplicaCount}',
    verdict: 'lost',
    reason:
      'outside the range spec.scaling accepts (minReplicas 0–1000, maxReplicas 1–1000, min ≤ max)',
  },
  {
    at: 'spec.pollingInterval',
    verdict: 'lost',
    reason: 'outside the range spec.scaling.pollingInterval accepts (1–3600)',
  },
  ...COOLDOWN_RULES,
  {
    at: '**',
    verdict: (f) => (f.before === undefined ? 'policy' : 'lost'),
    reason: (f) =>
      f.before === undefined ? 'set by the platform' : "not representable; KEDA's default applies",
  },
];

export const SERVICE_ACCOUNT_RULES: readonly Rule[] = [
  labelRule('metadata.labels.*'),
  {
    at: 'metadata.annotations.**',
    verdict: 'lost',
    reason:
      "annotations are not representable (e.g. a cloud IAM role binding): the platform's ServiceAccount carries none",
  },
  { at: 'metadata.name', verdict: 'policy', reason: SERVICE_ACCOUNT_NAME },
  { at: 'automountServiceAccountToken', verdict: 'policy', reason: AUTOMOUNT },
  {
    at: 'imagePullSecrets.**',
    verdict: 'policy',
    reason: "pull secrets move to the pod's imagePullSecrets (spec.imagePullSecrets)",
  },
  {
    at: '**',
    verdict: (f) => (f.before === undefined ? 'policy' : 'lost'),
    reason: (f) =>
      f.before === undefined ? 'set by the platform' : 'not representable on the ServiceAccount',
  },
];
