/**
 * Groups objects into services: each Deployment with the Service that selects its pods, the
 * ScaledObject that targets it, the ServiceAccount its pods run as, the PodDisruptionBudget
 * that selects its pods, the ServiceMonitor that scrapes its Service and the NACK Consumer that
 * declares the durable consumer it consumes. Everything else is a leftover, reported so that
 * nothing is dropped silently.
 */
import { at, own } from './own.js';
import { isObject, objects } from './manifests.js';
import { natsNames, workerIndex, type NatsNames } from './nats.js';
import { metricsEndpoint, namedPorts } from './ports.js';
import { selectsLabels } from './selector.js';
import type { Leftover, Manifest } from './types.js';

export interface ServiceGroup {
  readonly deployment: Manifest;
  readonly service?: Manifest;
  readonly scaledObject?: Manifest;
  readonly serviceAccount?: Manifest;
  readonly podDisruptionBudget?: Manifest;
  readonly serviceMonitor?: Manifest;
  readonly consumer?: Manifest;
}

export interface Grouping {
  readonly groups: readonly ServiceGroup[];
  readonly leftovers: readonly Leftover[];
}

type Obj = Record<string, unknown>;

/** Objects without a namespace go wherever they are applied, so they match any. */
const sameNamespace = (a: Manifest, b: Manifest) =>
  a.namespace === undefined || b.namespace === undefined || a.namespace === b.namespace;

export function podLabels(deployment: Manifest): Obj {
  const labels = at(deployment.object, 'spec', 'template', 'metadata', 'labels');
  return isObject(labels) ? labels : {};
}

export function serviceAccountName(deployment: Manifest): string | undefined {
  const pod = at(deployment.object, 'spec', 'template', 'spec');
  const name = at(pod, 'serviceAccountName') ?? at(pod, 'serviceAccount');
  return typeof name === 'string' ? name : undefined;
}

function selects(service: Manifest, deployment: Manifest): boolean {
  const selector = at(service.object, 'spec', 'selector');
  if (!isObject(selector) || Object.keys(selector).length === 0) return false;
  const labels = podLabels(deployment);
  return Object.entries(selector).every(([k, v]) => own(labels, k) === v);
}

/**
 * Whether a PodDisruptionBudget's label selector selects the Deployment's pods. In policy/v1 an
 * empty selector selects every pod of the namespace; a missing one, none.
 */
const budgets = (pdb: Manifest, deployment: Manifest): boolean =>
  selectsLabels(at(pdb.object, 'spec', 'selector'), podLabels(deployment));

/**
 * Whether a ServiceMonitor scrapes the Service: it selects the Service's labels (an empty
 * selector selects every Service) in a namespace it watches, its own unless its
 * namespaceSelector says `any` or names the Service's.
 */
function scrapes(monitor: Manifest, service: Manifest): boolean {
  const labels = at(service.object, 'metadata', 'labels');
  if (!selectsLabels(at(monitor.object, 'spec', 'selector'), isObject(labels) ? labels : {})) {
    return false;
  }
  const namespaces = at(monitor.object, 'spec', 'namespaceSelector');
  if (at(namespaces, 'any') === true) return true;
  const names = at(namespaces, 'matchNames');
  if (Array.isArray(names) && names.length > 0) {
    return service.namespace === undefined || names.includes(service.namespace);
  }
  return sameNamespace(monitor, service);
}

/** The named ports of the Deployment's worker container. */
function workerPorts(deployment: Manifest): Map<string, number> {
  const containers = objects(at(deployment.object, 'spec', 'template', 'spec', 'containers'));
  return namedPorts([containers[workerIndex(containers, deployment.name)]]);
}

/** Whether a NACK Consumer is the durable consumer the worker consumes. */
function isWorkersConsumer(consumer: Manifest, deployment: Manifest, names: NatsNames): boolean {
  const spec = at(consumer.object, 'spec');
  return (
    sameNamespace(consumer, deployment) &&
    names.stream !== undefined &&
    names.consumer !== undefined &&
    at(spec, 'streamName') === names.stream &&
    at(spec, 'durableName') === names.consumer
  );
}

const isServiceMonitor = (m: Manifest) =>
  m.kind === 'ServiceMonitor' && String(m.object.apiVersion).startsWith('monitoring.coreos.com/');
const isConsumer = (m: Manifest) =>
  m.kind === 'Consumer' && String(m.object.apiVersion).startsWith('jetstream.nats.io/');

function targets(scaledObject: Manifest, deployment: Manifest): boolean {
  const ref = at(scaledObject.object, 'spec', 'scaleTargetRef');
  const kind = at(ref, 'kind') ?? 'Deployment';
  return kind === 'Deployment' && at(ref, 'name') === deployment.name;
}

/** Prefer the candidate named like the Deployment (or `<name>-scaler`), then the first. */
function pick(candidates: Manifest[], names: readonly string[]): Manifest | undefined {
  return candidates.find((c) => names.includes(c.name)) ?? candidates[0];
}

const LEFTOVER_REASONS: ReadonlyMap<string, string> = new Map([
  ['Secret', 'not part of an EventDrivenService; keep it: the claim refers to Secrets by name'],
  [
    'ConfigMap',
    'not part of an EventDrivenService; keep applying it, or move its values into a Secret the claim lists',
  ],
  [
    'HorizontalPodAutoscaler',
    "KEDA creates the service's HorizontalPodAutoscaler; delete this one when you switch, or keep applying it if it scales something else",
  ],
]);

function leftoverReason(m: Manifest, candidates: ReadonlyMap<string, Manifest[]>): string {
  if (m.kind === 'Service')
    return 'selects the pods of no Deployment in the input; keep applying it';
  if (m.kind === 'ScaledObject') {
    const extra = (candidates.get(m.name) ?? []).length > 0;
    return extra
      ? 'another ScaledObject already targets the same Deployment; only one is representable'
      : 'targets no Deployment in the input; keep applying it';
  }
  if (m.kind === 'ServiceAccount') return 'no Deployment in the input runs as it; keep applying it';
  if (isServiceMonitor(m)) {
    return (candidates.get(`${m.kind}/${m.name}`) ?? []).length > 0
      ? 'another ServiceMonitor already scrapes the same Service; only one is representable (keep applying this one and Prometheus scrapes the pods twice)'
      : 'selects no Service of a Deployment in the input; keep applying it';
  }
  if (isConsumer(m)) {
    return (candidates.get(`${m.kind}/${m.name}`) ?? []).length > 0
      ? 'another Consumer already declares the same durable consumer; only one is representable (NACK would manage one server consumer from two objects)'
      : "declares no durable consumer a Deployment in the input consumes (its streamName and durableName are not a worker's NATS_STREAM_NAME and NATS_CONSUMER_GROUP); keep applying it";
  }
  if (m.kind === 'PodDisruptionBudget') {
    return (candidates.get(`${m.kind}/${m.name}`) ?? []).length > 0
      ? 'another PodDisruptionBudget already selects the same pods; only one is representable (and Kubernetes refuses to evict a pod that two budgets select)'
      : 'selects the pods of no Deployment in the input; keep applying it';
  }
  return (
    LEFTOVER_REASONS.get(m.kind) ?? 'not part of an EventDrivenService; keep applying this manifest'
  );
}

export function groupManifests(manifests: readonly Manifest[]): Grouping {
  const of = (kind: string) => manifests.filter((m) => m.kind === kind);
  const used = new Set<Manifest>();
  const rivals = new Map<string, Manifest[]>();
  const groups = of('Deployment').map((deployment): ServiceGroup => {
    const service = pick(
      of('Service').filter((s) => sameNamespace(s, deployment) && selects(s, deployment)),
      [deployment.name],
    );
    const scalers = of('ScaledObject').filter(
      (s) => sameNamespace(s, deployment) && targets(s, deployment),
    );
    const scaledObject = pick(scalers, [`${deployment.name}-scaler`, deployment.name]);
    for (const s of scalers) if (s !== scaledObject) rivals.set(s.name, scalers);
    const saName = serviceAccountName(deployment);
    const serviceAccount = of('ServiceAccount').find(
      (s) => s.name === saName && sameNamespace(s, deployment),
    );
    const budgetsOfPods = of('PodDisruptionBudget').filter(
      (p) => sameNamespace(p, deployment) && budgets(p, deployment),
    );
    const podDisruptionBudget = pick(
      budgetsOfPods.filter((p) => !used.has(p)),
      [deployment.name],
    );
    for (const p of budgetsOfPods) {
      if (p !== podDisruptionBudget) rivals.set(`${p.kind}/${p.name}`, budgetsOfPods);
    }
    const monitors =
      service === undefined
        ? []
        : manifests.filter(
            (m) =>
              isServiceMonitor(m) &&
              !used.has(m) &&
              scrapes(m, service) &&
              metricsEndpoint(m.object, service.object, workerPorts(deployment)) !== undefined,
          );
    const serviceMonitor = pick(monitors, [deployment.name, service?.name ?? deployment.name]);
    const names = natsNames(deployment, scaledObject);
    const consumers = manifests.filter(
      (m) => isConsumer(m) && !used.has(m) && isWorkersConsumer(m, deployment, names),
    );
    const consumer = pick(consumers, [deployment.name]);
    for (const list of [monitors, consumers]) {
      for (const m of list)
        if (m !== serviceMonitor && m !== consumer) rivals.set(`${m.kind}/${m.name}`, list);
    }
    const members = [
      deployment,
      service,
      scaledObject,
      serviceAccount,
      podDisruptionBudget,
      serviceMonitor,
      consumer,
    ];
    for (const m of members) if (m !== undefined) used.add(m);
    return {
      deployment,
      ...(service === undefined ? {} : { service }),
      ...(scaledObject === undefined ? {} : { scaledObject }),
      ...(serviceAccount === undefined ? {} : { serviceAccount }),
      ...(podDisruptionBudget === undefined ? {} : { podDisruptionBudget }),
      ...(serviceMonitor === undefined ? {} : { serviceMonitor }),
      ...(consumer === undefined ? {} : { consumer }),
    };
  });
  const leftovers = manifests
    .filter((m) => !used.has(m))
    .map((m): Leftover => ({
      kind: m.kind,
      name: m.name,
      ...(m.namespace === undefined ? {} : { namespace: m.namespace }),
      origin: m.origin,
      reason: leftoverReason(m, rivals),
    }));
  return { groups, leftovers };
}
