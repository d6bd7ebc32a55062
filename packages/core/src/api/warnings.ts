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

/** A ServiceMonitor's interval and labels say nothing while no ServiceMonitor is composed. */
function serviceMonitorOff(input: SpecInput, spec: Spec): Issue[] {
  const monitor = input.metrics?.serviceMonitor;
  if (monitor === undefined || spec.metrics.serviceMonitor.enabled) return [];
  const state =
    monitor.enabled === undefined ? 'enabled is not set (default false)' : 'enabled is false';
  return (['interval', 'labels'] as const)
    .filter((field) => monitor[field] !== undefined)
    .map((field) =>
      issue(
        'no-effect',
        ['spec', 'metrics', 'serviceMonitor', field],
        `has no effect: no ServiceMonitor is composed because ${state}; set spec.metrics.serviceMonitor.enabled: true, or remove ${field}`,
      ),
    );
}

/**
 * With `minReplicas: 0` and no managed consumer, nothing creates the consumer until a pod runs,
 * and no pod runs until KEDA reads the consumer's lag: KEDA 2.20 reports `consumer … not found`
 * and never activates; earlier releases scale straight to maxReplicas (kedacore/keda#7657). A
 * warning, not an error: a consumer created out of band (by earlier pods, or `nats consumer add`)
 * works.
 */
function scaleToZeroWithoutConsumer(spec: Spec): Issue[] {
  if (spec.scaling.minReplicas !== 0 || spec.nats.managedConsumer) return [];
  return [
    issue(
      'unmanaged-consumer',
      ['spec', 'scaling', 'minReplicas'],
      `0 needs a consumer that exists before any pod runs, and the first pod creates it: a new service would never start (KEDA cannot read the lag of consumer "${spec.nats.consumer}" until it exists); set spec.nats.managedConsumer: true (needs NACK's JetStream controller), or create the consumer yourself before applying`,
    ),
  ];
}

/** The warnings for a claim that has passed validation. */
export function claimWarnings(input: SpecInput, spec: Spec): Issue[] {
  return [
    ...activationWithoutZero(input, spec),
    ...scaleToZeroWithoutConsumer(spec),
    ...serviceMonitorOff(input, spec),
  ];
}
