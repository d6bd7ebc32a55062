import { objectMeta, selectorLabels } from './labels.js';
import type { KubeObject, RenderContext } from './types.js';

/**
 * Pods a voluntary disruption (a node drain, a cluster upgrade) may take at once: one. Unlike
 * `minAvailable`, it never blocks: with one replica the drain may still evict it (minAvailable 1
 * would refuse every eviction until a person steps in), with more it evicts one at a time, and it
 * follows KEDA's count without a number to keep in step. With no pods (scaled to zero) there is
 * nothing to evict and nothing to block.
 * @default 1
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/#think-about-how-your-application-reacts-to-disruptions
 */
export const PDB_MAX_UNAVAILABLE = 1;

/**
 * Pods that are running but not ready may always be evicted, so a crash-looping pod never blocks
 * a drain (Kubernetes' default, `IfHealthyBudget`, would block it while the budget is spent).
 * GA in Kubernetes 1.31.
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
 */
export const PDB_UNHEALTHY_POD_EVICTION_POLICY = 'AlwaysAllow';

/** The service's PodDisruptionBudget: same name, labels and selector as its Deployment. */
export function renderPodDisruptionBudget(ctx: RenderContext): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: objectMeta(ctx.service.name, ctx.service, ctx.labels),
    spec: {
      maxUnavailable: PDB_MAX_UNAVAILABLE,
      selector: { matchLabels: selectorLabels(ctx.service) },
      unhealthyPodEvictionPolicy: PDB_UNHEALTHY_POD_EVICTION_POLICY,
    },
  };
}
