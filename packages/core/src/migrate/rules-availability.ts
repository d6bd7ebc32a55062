/**
 * How a hand-written PodDisruptionBudget and topology spread compare with the platform's
 * (spec.availability, ADR 8). Where the platform's choice protects at least as much, the
 * difference is platform policy; where the manifests asked for more than it gives (a budget that
 * keeps two pods up, a spread that refuses to schedule), it is lost, with what it was.
 */
import { PDB_MAX_UNAVAILABLE } from '../render/pod-disruption-budget.js';
import { json, type Facts, type Rule } from './facts.js';
import { ANNOTATIONS, labelRule } from './rules-common.js';

const KEEP_YOURS =
  'to keep yours, set spec.availability.podDisruptionBudget: false and keep applying it (Kubernetes refuses to evict a pod that two budgets select)';
const OURS = `the platform's budget is maxUnavailable: ${PDB_MAX_UNAVAILABLE}: a drain evicts one pod at a time and may always evict a single replica`;

/** A budget that never protects more than the platform's: at most one pod kept up, or none. */
const weaker = (f: Facts): boolean => {
  const v = f.before;
  if (f.shape.at(-1) === 'minAvailable') return v === 0 || v === 1 || v === '0%';
  return v === 0 || v === '0%' || v === undefined;
};

function budgetReason(f: Facts): string {
  const field = f.shape.at(-1) ?? '';
  if (f.before === undefined) return OURS;
  if (weaker(f)) {
    return f.shape.at(-1) === 'minAvailable' && f.before === 1
      ? `${field} ${json(f.before)} blocks every drain of a service at one replica; ${OURS}`
      : `${field} ${json(f.before)} blocks every drain; ${OURS}`;
  }
  return `${field} ${json(f.before)} is not representable; ${OURS}; ${KEEP_YOURS}`;
}

export const POD_DISRUPTION_BUDGET_RULES: readonly Rule[] = [
  labelRule('metadata.labels.*'),
  { at: 'metadata.annotations.**', verdict: 'lost', reason: ANNOTATIONS },
  {
    at: 'metadata.name',
    verdict: 'policy',
    reason: (f) => `the PodDisruptionBudget is named after the service, ${f.service.name}`,
  },
  {
    at: 'spec.selector.**',
    verdict: 'policy',
    reason: 'the platform selects pods by app.kubernetes.io/name, as the Deployment does',
  },
  {
    at: 'spec.{minAvailable,maxUnavailable}',
    verdict: (f) => (weaker(f) ? 'policy' : 'lost'),
    reason: budgetReason,
  },
  {
    at: 'spec.unhealthyPodEvictionPolicy',
    verdict: 'policy',
    reason:
      'a pod that is running but not ready may always be evicted (AlwaysAllow), so a crash-looping pod never blocks a drain',
  },
  {
    at: '**',
    verdict: (f) => (f.before === undefined ? 'policy' : 'lost'),
    reason: (f) =>
      f.before === undefined
        ? 'set by the platform'
        : `not representable on the PodDisruptionBudget; ${KEEP_YOURS}`,
  },
];

const SPREAD = 'spec.template.spec.topologySpreadConstraints';
const THE_PLATFORMS =
  "the platform spreads the pods across zones and nodes, at most one apart (maxSkew 1), as a preference (ScheduleAnyway), counting each rollout's pods apart";
const NO_SPREAD = 'set spec.availability.topologySpread: false for no spread at all';

function constraintField(f: Facts): { verdict: 'policy' | 'lost'; reason: string } {
  const field = f.shape.at(-1) ?? '';
  const was = `${field} ${json(f.before)}`;
  switch (field) {
    case 'maxSkew':
      // A larger skew allows less spread than the platform's; a smaller one is not valid.
      return { verdict: 'policy', reason: `${was} allows a wider skew; ${THE_PLATFORMS}` };
    case 'whenUnsatisfiable':
      return f.before === 'DoNotSchedule'
        ? {
            verdict: 'lost',
            reason:
              "a hard spread (DoNotSchedule) is not representable: the platform's spread across zones and nodes is a preference (ScheduleAnyway), which never leaves a pod pending",
          }
        : { verdict: 'policy', reason: THE_PLATFORMS };
    case 'matchLabelKeys': {
      const extra = Array.isArray(f.before) && f.before.some((k) => k !== 'pod-template-hash');
      return extra
        ? { verdict: 'lost', reason: `${was} is not representable; ${THE_PLATFORMS}` }
        : { verdict: 'policy', reason: THE_PLATFORMS };
    }
    case 'nodeAffinityPolicy':
    case 'nodeTaintsPolicy': {
      // Kubernetes' behaviour when the field is left out: Honor affinity, Ignore taints.
      const same = f.before === (field === 'nodeAffinityPolicy' ? 'Honor' : 'Ignore');
      return same
        ? { verdict: 'policy', reason: `${was} is what Kubernetes does when it is left out` }
        : { verdict: 'lost', reason: `${was} is not representable; ${THE_PLATFORMS}` };
    }
    default:
      return f.before === undefined
        ? { verdict: 'policy', reason: THE_PLATFORMS }
        : { verdict: 'lost', reason: `${was} is not representable; ${THE_PLATFORMS}` };
  }
}

/** The Deployment's topology spread, before the rule that reports other scheduling as lost. */
export const TOPOLOGY_SPREAD_RULES: readonly Rule[] = [
  {
    at: `${SPREAD}[{@zone,@node}].labelSelector.**`,
    verdict: 'policy',
    reason: "the platform counts the service's pods, selected by app.kubernetes.io/name",
  },
  {
    at: `${SPREAD}[{@zone,@node}].*`,
    verdict: (f) => constraintField(f).verdict,
    reason: (f) => constraintField(f).reason,
  },
  {
    at: `${SPREAD}[{@zone,@node}]`,
    verdict: 'policy',
    reason: (f) =>
      `${THE_PLATFORMS}; the manifests spread over ${f.shape.at(-1) === '[@zone]' ? 'nodes' : 'zones'} only`,
  },
  {
    at: `${SPREAD}[*]`,
    verdict: 'lost',
    reason: `the platform spreads only across zones (topology.kubernetes.io/zone) and nodes (kubernetes.io/hostname); a spread over another key is not representable (${NO_SPREAD})`,
  },
  {
    at: `${SPREAD}.**`,
    verdict: 'lost',
    reason: `not representable; ${THE_PLATFORMS}`,
  },
];
