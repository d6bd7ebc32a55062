import type { ClaimInput } from '@eds/core';

/** The seed's minimal claim, fresh on every call. */
export function minimalClaim(): ClaimInput & Record<string, unknown> {
  return {
    apiVersion: 'platform.bizmatters.io/v1alpha1',
    kind: 'EventDrivenService',
    metadata: { name: 'simple-worker', namespace: 'workers' },
    spec: {
      image: 'ghcr.io/org/simple-worker:v1.0.0',
      size: 'small',
      nats: { stream: 'SIMPLE_JOBS', consumer: 'simple-workers' },
    },
  };
}

/** The minimal claim with `spec` fields merged in (shallow, per top-level spec field). */
export function claimWithSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const claim = minimalClaim();
  return { ...claim, spec: { ...claim.spec, ...spec } };
}
