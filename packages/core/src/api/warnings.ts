/**
 * Warnings: a valid claim that sets something with no effect. The claim still renders; the edges
 * show warnings beside problems (`eds validate` and `eds render` on stderr, the composition
 * function as Warning results).
 */
import { issue, type Issue } from './issues.js';
import type { SpecInput } from './schema.js';
import type { Spec } from './types.js';

/** KEDA reads `activationLagThreshold` only to scale from and to zero. */
function activationWithoutZero(input: SpecInput, spec: Spec): Issue[] {
  const { activationLagThreshold, minReplicas } = spec.scaling;
  if (activationLagThreshold === undefined || minReplicas === 0) return [];
  const which =
    input.scaling?.minReplicas === undefined ? `${minReplicas}, the default` : `${minReplicas}`;
  return [
    issue(
      'no-effect',
      ['spec', 'scaling', 'activationLagThreshold'],
      `${activationLagThreshold} has no effect unless minReplicas is 0 (it is ${which}): KEDA uses it only to wake a service from zero replicas; set spec.scaling.minReplicas: 0, or remove activationLagThreshold`,
    ),
  ];
}

/** The warnings for a claim that has passed validation. */
export function claimWarnings(input: SpecInput, spec: Spec): Issue[] {
  return activationWithoutZero(input, spec);
}
