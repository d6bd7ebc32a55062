/**
 * Groups objects into services: each Deployment with the Service that selects its pods, the
 * ScaledObject that targets it and the ServiceAccount its pods run as. Everything else is a
 * leftover, reported so that nothing is dropped silently.
 */
import { at, own } from './own.js';
import { isObject } from './manifests.js';
import type { Leftover, Manifest } from './types.js';

export interface ServiceGroup {
  readonly deployment: Manifest;
  readonly service?: Manifest;
  readonly scaledObject?: Manifest;
  readonly serviceAccount?: Manifest;
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
    for (const m of [deployment, service, scaledObject, serviceAccount]) {
      if (m !== undefined) used.add(m);
    }
    return {
      deployment,
      ...(service === undefined ? {} : { service }),
      ...(scaledObject === undefined ? {} : { scaledObject }),
      ...(serviceAccount === undefined ? {} : { serviceAccount }),
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
