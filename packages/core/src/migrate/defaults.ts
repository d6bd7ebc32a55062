/**
 * Values the API server (or KEDA) fills in when a manifest leaves a field out. A field the
 * manifests spell out with its default value is the same as the platform leaving it out, and
 * `kubectl get -o yaml` output is full of them.
 */
import { parseImage, pullPolicy } from '../render/image.js';
import { isObject } from './manifests.js';
import { matches, type Shape } from './shape.js';

interface KubeDefault {
  readonly at: string;
  /** The default, computed from the object that holds the field when it depends on it. */
  readonly value: (parent: Record<string, unknown> | undefined) => unknown;
  /** Also applies when the parent object is absent (the API server creates it). */
  readonly always?: boolean;
}

const is = (v: unknown) => (): unknown => v;

const CONTAINERS = 'spec.template.spec.{containers,initContainers}[*]';
const PROBES = `${CONTAINERS}.{livenessProbe,readinessProbe,startupProbe}`;

const DEPLOYMENT: readonly KubeDefault[] = [
  { at: 'spec.progressDeadlineSeconds', value: is(600), always: true },
  { at: 'spec.revisionHistoryLimit', value: is(10), always: true },
  { at: 'spec.minReadySeconds', value: is(0), always: true },
  { at: 'spec.paused', value: is(false), always: true },
  { at: 'spec.strategy.type', value: is('RollingUpdate'), always: true },
  { at: 'spec.strategy.rollingUpdate.{maxSurge,maxUnavailable}', value: is('25%'), always: true },
  { at: 'spec.template.spec.restartPolicy', value: is('Always'), always: true },
  { at: 'spec.template.spec.dnsPolicy', value: is('ClusterFirst'), always: true },
  { at: 'spec.template.spec.schedulerName', value: is('default-scheduler'), always: true },
  { at: 'spec.template.spec.enableServiceLinks', value: is(true), always: true },
  { at: 'spec.template.spec.terminationGracePeriodSeconds', value: is(30), always: true },
  // The deprecated alias, which the API server copies from serviceAccountName.
  { at: 'spec.template.spec.serviceAccount', value: (pod) => pod?.serviceAccountName },
  { at: `${CONTAINERS}.terminationMessagePath`, value: is('/dev/termination-log') },
  { at: `${CONTAINERS}.terminationMessagePolicy`, value: is('File') },
  {
    at: `${CONTAINERS}.imagePullPolicy`,
    value: (c) => (typeof c?.image === 'string' ? pullPolicy(parseImage(c.image)) : undefined),
  },
  { at: `${CONTAINERS}.ports[*].protocol`, value: is('TCP') },
  { at: `${PROBES}.successThreshold`, value: is(1) },
  { at: `${PROBES}.failureThreshold`, value: is(3) },
  { at: `${PROBES}.periodSeconds`, value: is(10) },
  { at: `${PROBES}.timeoutSeconds`, value: is(1) },
  { at: `${PROBES}.initialDelaySeconds`, value: is(0) },
  { at: `${PROBES}.httpGet.scheme`, value: is('HTTP') },
  { at: `${CONTAINERS}.env[*].valueFrom.fieldRef.apiVersion`, value: is('v1') },
];

const SERVICE: readonly KubeDefault[] = [
  { at: 'spec.type', value: is('ClusterIP'), always: true },
  { at: 'spec.sessionAffinity', value: is('None'), always: true },
  { at: 'spec.internalTrafficPolicy', value: is('Cluster'), always: true },
  { at: 'spec.ipFamilyPolicy', value: is('SingleStack'), always: true },
  { at: 'spec.ports[*].protocol', value: is('TCP') },
  { at: 'spec.ports[*].targetPort', value: (p) => p?.port },
];

/**
 * What KEDA, and the HPA it creates, use when a ScaledObject leaves these out.
 * @see https://keda.sh/docs/latest/reference/scaledobject-spec/
 * @see https://keda.sh/docs/latest/scalers/nats-jetstream/
 */
export const KEDA_DEFAULTS = {
  minReplicaCount: 0,
  maxReplicaCount: 100,
  pollingInterval: 30,
  cooldownPeriod: 300,
  /** The HPA's `behavior.scaleDown.stabilizationWindowSeconds` (Kubernetes' default). */
  scaleDownWindow: 300,
  lagThreshold: 10,
  activationLagThreshold: 0,
} as const;

/** Where a ScaledObject sets the HPA's scale-down stabilization window. */
export const SCALE_DOWN_WINDOW = [
  'spec',
  'advanced',
  'horizontalPodAutoscalerConfig',
  'behavior',
  'scaleDown',
  'stabilizationWindowSeconds',
] as const;

const K = KEDA_DEFAULTS;

const SCALED_OBJECT: readonly KubeDefault[] = [
  { at: 'spec.minReplicaCount', value: is(K.minReplicaCount), always: true },
  { at: 'spec.maxReplicaCount', value: is(K.maxReplicaCount), always: true },
  { at: 'spec.pollingInterval', value: is(K.pollingInterval), always: true },
  { at: 'spec.cooldownPeriod', value: is(K.cooldownPeriod), always: true },
  { at: SCALE_DOWN_WINDOW.join('.'), value: is(K.scaleDownWindow), always: true },
  { at: 'spec.scaleTargetRef.apiVersion', value: is('apps/v1'), always: true },
  { at: 'spec.scaleTargetRef.kind', value: is('Deployment'), always: true },
  { at: 'spec.triggers[*].metricType', value: is('AverageValue') },
  { at: 'spec.triggers[*].metadata.lagThreshold', value: is(String(K.lagThreshold)) },
  {
    at: 'spec.triggers[*].metadata.activationLagThreshold',
    value: is(String(K.activationLagThreshold)),
  },
  { at: 'spec.triggers[*].metadata.useHttps', value: is('false') },
];

/**
 * What Prometheus does with an endpoint that leaves these out (the CRD has no defaults).
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.Endpoint
 */
const SERVICE_MONITOR: readonly KubeDefault[] = [
  { at: 'spec.endpoints[*].path', value: is('/metrics') },
  { at: 'spec.endpoints[*].scheme', value: is('http') },
];

/**
 * The defaults of NACK's Consumer CRD (`jetstream.nats.io/v1beta2`, deploy/crds.yml of v0.22.4),
 * which the API server writes into the object. `ackPolicy: none` and `ackWait: 1ns` are why the
 * platform spells both out (render/consumer.ts).
 */
const CONSUMER: readonly KubeDefault[] = [
  { at: 'spec.deliverPolicy', value: is('all'), always: true },
  { at: 'spec.ackPolicy', value: is('none'), always: true },
  { at: 'spec.ackWait', value: is('1ns'), always: true },
  { at: 'spec.replayPolicy', value: is('instant'), always: true },
  { at: 'spec.{flowControl,headersOnly,memStorage,tlsFirst}', value: is(false), always: true },
  { at: 'spec.{preventDelete,preventUpdate}', value: is(false), always: true },
  { at: 'spec.{pauseUntil,priorityPolicy,pinnedTtl,creds,nkey}', value: is(''), always: true },
  { at: 'spec.servers', value: is([]), always: true },
];

const BY_KIND: ReadonlyMap<string, readonly KubeDefault[]> = new Map([
  ['Deployment', DEPLOYMENT],
  ['Service', SERVICE],
  ['ScaledObject', SCALED_OBJECT],
  ['ServiceMonitor', SERVICE_MONITOR],
  ['Consumer', CONSUMER],
]);

/** The default for the field at `shape`, or `undefined` when there is none. */
export function defaultValue(kind: string, shape: Shape, parent: unknown): unknown {
  const holder = isObject(parent) ? parent : undefined;
  for (const d of BY_KIND.get(kind) ?? []) {
    if ((holder !== undefined || d.always === true) && matches(d.at, shape)) {
      return d.value(holder);
    }
  }
  return undefined;
}
