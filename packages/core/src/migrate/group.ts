/**
 * Groups objects into services: each Deployment with the Service that selects its pods, the
 * ScaledObject that targets it, the ServiceAccount its pods run as and the PodDisruptionBudget
 * that selects its pods. Everything else is a leftover, reported so that nothing is dropped
 * silently.
 */
import { at, own } from './own.js';
import { isObject } from './manifests.js';
import type { Leftover, Manifest } from './types.js';

export interface ServiceGroup {
  readonly deployment: Manifest;
  readonly service?: Manifest;
  readonly scaledObject?: Manifest;
  readonly serviceAccount?: Manifest;
  readonly podDisruptionBudget?: Manifest;
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

/** One `matchExpressions` requirement of a label selector, against the pod's labels. */
function meets(requirement: unknown, labels: Obj): boolean {
  const key = at(requirement, 'key');
  const operator = at(requirement, 'operator');
  const values = at(requirement, 'values');
  if (typeof key !== 'string') return false;
  const value = own(labels, key);
  const listed = Array.isArray(values) && values.includes(value);
  switch (operator) {
    case 'In':
      return value !== undefined && listed;
    case 'NotIn':
      return value === undefined || !listed;
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false;
  }
}

/**
 * Whether a PodDisruptionBudget's label selector selects the Deployment's pods. In policy/v1 an
 * empty selector selects every pod of the namespace; a missing one, none.
 */
function budgets(pdb: Manifest, deployment: Manifest): boolean {
  const selector = at(pdb.object, 'spec', 'selector');
  if (!isObject(selector)) return false;
  const labels = podLabels(deployment);
  const matchLabels = at(selector, 'matchLabels');
  const expressions = at(selector, 'matchExpressions');
  return (
    Object.entries(isObject(matchLabels) ? matchLabels : {}).every(
      ([k, v]) => own(labels, k) === v,
    ) && (Array.isArray(expressions) ? expressions : []).every((r) => meets(r, labels))
  );
}

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
    for (const m of [deployment, service, scaledObject, serviceAccount, podDisruptionBudget]) {
      if (m !== undefined) used.add(m);
    }
    return {
      deployment,
      ...(service === undefined ? {} : { service }),
      ...(scaledObject === undefined ? {} : { scaledObject }),
      ...(serviceAccount === undefined ? {} : { serviceAccount }),
      ...(podDisruptionBudget === undefined ? {} : { podDisruptionBudget }),
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
