/**
 * `spec.availability` from the manifests. A claim keeps each switch on (the default) when the
 * manifests already had the thing: a PodDisruptionBudget selecting the pods, or topology spread
 * constraints on the pod template; the comparison then reports how theirs differs from the
 * platform's (rules-availability.ts). When the manifests had none, the claim turns the switch
 * off, so that the migrated service runs as it did: nothing appears in the cluster that the
 * manifests did not ask for, and the assumption says how to turn it on (ADR 8).
 */
import type { ServiceGroup } from './group.js';
import type { Notes } from './nats.js';
import { at } from './own.js';

export function availability(group: ServiceGroup, notes: Notes): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  if (group.podDisruptionBudget === undefined) {
    out.podDisruptionBudget = false;
    notes.assumptions.push({
      field: 'spec.availability.podDisruptionBudget',
      value: false,
      reason:
        "no PodDisruptionBudget in the input selects the pods, so the claim composes none, as before; remove the line for the platform's (maxUnavailable 1: a drain evicts one pod at a time and never blocks on a single replica)",
    });
  }
  const spread = at(
    group.deployment.object,
    'spec',
    'template',
    'spec',
    'topologySpreadConstraints',
  );
  if (!Array.isArray(spread) || spread.length === 0) {
    out.topologySpread = false;
    notes.assumptions.push({
      field: 'spec.availability.topologySpread',
      value: false,
      reason:
        'the pod template has no topologySpreadConstraints, so the claim adds none, as before; remove the line to spread the pods across zones and nodes (ScheduleAnyway: never blocks scheduling)',
    });
  }
  return out;
}
