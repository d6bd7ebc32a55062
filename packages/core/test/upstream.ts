import type { KubeObject } from '@eds/core';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

/**
 * Kinds whose upstream schema is a CRD served only from a Go module (NACK's Consumer,
 * prometheus-operator's ServiceMonitor): the conformance suite validates them, random claims
 * included, against the pinned CRDs with `crossplane resource validate`
 * (conformance/test/crossplane-validate.test.ts).
 */
export const VALIDATED_IN_CONFORMANCE: ReadonlySet<string> = new Set([
  'ServiceMonitor',
  'Consumer',
]);

/** Validates with the upstream model of the object's kind; throws on any schema violation. */
export function validateUpstream(object: KubeObject): void {
  const json = object as never;
  switch (object.kind) {
    case 'Deployment':
      new Deployment(json).validate();
      return;
    case 'Service':
      new Service(json).validate();
      return;
    case 'ServiceAccount':
      new ServiceAccount(json).validate();
      return;
    case 'ScaledObject':
      new ScaledObject(json).validate();
      return;
    case 'PodDisruptionBudget':
      new PodDisruptionBudget(json).validate();
      return;
    default:
      throw new Error(`no upstream schema for ${object.kind}`);
  }
}
