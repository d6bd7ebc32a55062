/**
 * When a Deployment is ready, defined once as data: the function evaluates the rule in
 * TypeScript (v2 XRs), and the legacy target's provider-kubernetes `Object` evaluates the CEL
 * query generated from the same rule (`DeriveFromCelQuery`). Pure.
 *
 * The rule is Kubernetes' own: `kubectl rollout status`, i.e. `DeploymentStatusViewer.Status`
 * in kubernetes/kubectl `pkg/polymorphichelpers/rollout_status.go`. In order:
 * 1. `status.observedGeneration >= metadata.generation` (the controller has seen the spec);
 * 2. `status.updatedReplicas >= spec.replicas` (every wanted pod runs the latest template);
 * 3. `status.replicas <= status.updatedReplicas` (no old pod is left);
 * 4. `status.availableReplicas >= status.updatedReplicas` (every updated pod is available).
 * kubectl also fails on a `Progressing` condition with reason `ProgressDeadlineExceeded`; the
 * controller only sets it while the counts above are still short, so the counts decide.
 *
 * A Deployment KEDA scaled to zero (`spec.replicas: 0`) passes once the controller has seen
 * it and no old pod is left: idle counts as ready (DESIGN: "a Deployment scaled to zero by
 * KEDA counts as idle, not broken").
 */

/** A Deployment field the rule reads, two levels deep, as an integer. */
interface Field {
  readonly path: readonly [string, string];
  /**
   * The value when the field is absent: the API server omits zero counts from the status
   * and defaults `spec.replicas` to 1 (`DeploymentSpec.replicas`, "Defaults to 1").
   */
  readonly absent: number;
}

export const DEPLOYMENT_FIELDS = {
  generation: { path: ['metadata', 'generation'], absent: 0 },
  observedGeneration: { path: ['status', 'observedGeneration'], absent: 0 },
  wanted: { path: ['spec', 'replicas'], absent: 1 },
  replicas: { path: ['status', 'replicas'], absent: 0 },
  updated: { path: ['status', 'updatedReplicas'], absent: 0 },
  ready: { path: ['status', 'readyReplicas'], absent: 0 },
  available: { path: ['status', 'availableReplicas'], absent: 0 },
} as const satisfies Record<string, Field>;

export type DeploymentField = keyof typeof DEPLOYMENT_FIELDS;
export type DeploymentCounts = Readonly<Record<DeploymentField, number>>;

/** One step of the rule: `left op right` over two fields. */
export interface RolloutCheck {
  readonly id: RolloutCheckId;
  readonly left: DeploymentField;
  readonly op: '>=' | '<=';
  readonly right: DeploymentField;
}

export type RolloutCheckId =
  'spec-observed' | 'all-updated' | 'old-replicas-gone' | 'all-available';

/** The rule, in kubectl's order: the first check that fails says what the rollout waits for. */
export const DEPLOYMENT_ROLLOUT: readonly RolloutCheck[] = [
  { id: 'spec-observed', left: 'observedGeneration', op: '>=', right: 'generation' },
  { id: 'all-updated', left: 'updated', op: '>=', right: 'wanted' },
  { id: 'old-replicas-gone', left: 'replicas', op: '<=', right: 'updated' },
  { id: 'all-available', left: 'available', op: '>=', right: 'updated' },
];

export type Rollout =
  | { readonly ready: true; readonly counts: DeploymentCounts }
  | {
      readonly ready: false;
      readonly waitingFor: RolloutCheckId;
      readonly counts: DeploymentCounts;
    };

function read(object: unknown, [outer, inner]: readonly [string, string]): unknown {
  if (typeof object !== 'object' || object === null) return undefined;
  const parent: unknown = (object as Record<string, unknown>)[outer];
  if (typeof parent !== 'object' || parent === null) return undefined;
  return (parent as Record<string, unknown>)[inner];
}

export function deploymentCounts(deployment: unknown): DeploymentCounts {
  const counts = {} as Record<DeploymentField, number>;
  for (const [name, field] of Object.entries(DEPLOYMENT_FIELDS) as [DeploymentField, Field][]) {
    const value = read(deployment, field.path);
    counts[name] = typeof value === 'number' && Number.isInteger(value) ? value : field.absent;
  }
  return counts;
}

const holds = (check: RolloutCheck, c: DeploymentCounts): boolean =>
  check.op === '>=' ? c[check.left] >= c[check.right] : c[check.left] <= c[check.right];

/** Whether an observed Deployment is ready, and if not, which check it waits for. */
export function deploymentRollout(deployment: unknown): Rollout {
  const counts = deploymentCounts(deployment);
  const failed = DEPLOYMENT_ROLLOUT.find((check) => !holds(check, counts));
  return failed === undefined
    ? { ready: true, counts }
    : { ready: false, waitingFor: failed.id, counts };
}

/**
 * A field in CEL, with its absent value: `has()` guards each level, so the query never fails
 * on a missing field (provider-kubernetes would report the error as the Object's message).
 */
function celField({ path: [outer, inner], absent }: Field): string {
  const at = `object.${outer}.${inner}`;
  return `(has(object.${outer}) && has(${at}) ? ${at} : ${absent})`;
}

/** The rule as a CEL expression over the variable `object`, as provider-kubernetes binds it. */
export function rolloutCel(rule: readonly RolloutCheck[] = DEPLOYMENT_ROLLOUT): string {
  return rule
    .map(
      (c) =>
        `${celField(DEPLOYMENT_FIELDS[c.left])} ${c.op} ${celField(DEPLOYMENT_FIELDS[c.right])}`,
    )
    .join(' && ');
}
