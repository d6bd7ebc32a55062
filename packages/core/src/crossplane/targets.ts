import type { KubeObject, Rendered, ResourceKey } from '../render/types.js';
import { rolloutCel } from '../status/rollout.js';

/** `v2`: Crossplane v2 namespaced XR composing objects directly. `legacy`: provider-kubernetes Objects. */
export const TARGETS = ['v2', 'legacy'] as const;
export type Target = (typeof TARGETS)[number];
/** The target when the function input names none. */
export const DEFAULT_TARGET: Target = 'v2';

export const DEFAULT_PROVIDER_CONFIG = 'kubernetes-provider';

/** The function's input object in a Composition's pipeline step (api/function-input.ts). */
export const INPUT_API_VERSION = 'eds.platform.bizmatters.io/v1alpha1';
export const INPUT_KIND = 'Input';
export const OBJECT_API_VERSION = 'kubernetes.crossplane.io/v1alpha2';

export interface TargetOptions {
  readonly target: Target;
  /** provider-kubernetes ProviderConfig the legacy Objects use. */
  readonly providerConfigName?: string;
}

/**
 * CEL readiness for a wrapped Deployment (it has no Ready condition), generated from the same
 * rule the function applies to v2 XRs: `kubectl rollout status` (see status/rollout.ts).
 */
export const DEPLOYMENT_READY_CEL = rolloutCel();

/**
 * CEL readiness for a wrapped NACK Consumer, the function's rule for v2 (`consumerVerdict`): NACK
 * has created or updated the server's consumer from the current spec. Both of NACK's modes set
 * `Ready` with `observedGeneration`; each level is guarded, so the query never fails on an object
 * NACK has not reported on yet.
 * @see https://github.com/nats-io/nack/blob/v0.22.4/internal/controller/consumer_controller.go
 */
export const CONSUMER_READY_CEL =
  "has(object.status) && has(object.status.conditions) && has(object.status.observedGeneration) && object.status.observedGeneration == object.metadata.generation && object.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')";

function readiness(key: ResourceKey): Record<string, string> {
  switch (key) {
    case 'deployment':
      return { policy: 'DeriveFromCelQuery', celQuery: DEPLOYMENT_READY_CEL };
    case 'scaledobject':
      return { policy: 'DeriveFromObject' };
    case 'consumer':
      return { policy: 'DeriveFromCelQuery', celQuery: CONSUMER_READY_CEL };
    // A PodDisruptionBudget has no condition that means ready; like a Service, it acts once it
    // exists (its status.disruptionsAllowed follows the pods, which the Deployment reports on).
    // A ServiceMonitor has no status that means ready (the operator's status subresource is
    // opt-in and reports per Prometheus); it acts once it exists.
    case 'service':
    case 'serviceaccount':
    case 'poddisruptionbudget':
    case 'servicemonitor':
      return { policy: 'SuccessfulCreate' };
  }
}

/** Wraps one object in a provider-kubernetes `Object` with readiness that reflects it. */
export function wrapInObject(rendered: Rendered, providerConfigName: string): KubeObject {
  return {
    apiVersion: OBJECT_API_VERSION,
    kind: 'Object',
    metadata: {},
    spec: {
      forProvider: { manifest: rendered.object },
      providerConfigRef: { name: providerConfigName },
      readiness: readiness(rendered.key),
    },
  };
}

/** What the composition composes for a target: the objects themselves, or wrapped. */
export function forTarget(rendered: readonly Rendered[], options: TargetOptions): Rendered[] {
  if (options.target === 'v2') return [...rendered];
  const config = options.providerConfigName ?? DEFAULT_PROVIDER_CONFIG;
  return rendered.map((r) => ({ key: r.key, object: wrapInObject(r, config) }));
}
