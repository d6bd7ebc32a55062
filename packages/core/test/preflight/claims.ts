import { validateClaim, type Claim } from '@eds/core';

/**
 * The preflight tests' claim: `orders` in namespace `shop`, on stream ORDERS with consumer
 * `orders-workers`, with `spec` fields merged in (`spec.nats` field by field). Validated, with
 * every default applied, as preflight gets it.
 */
export function ordersClaim(spec: Record<string, unknown> = {}): Claim {
  const { nats, ...rest } = spec;
  const v = validateClaim({
    apiVersion: 'platform.bizmatters.io/v1alpha1',
    kind: 'EventDrivenService',
    metadata: { name: 'orders', namespace: 'shop' },
    spec: {
      image: 'ghcr.io/org/orders:1.0.0',
      nats: { stream: 'ORDERS', consumer: 'orders-workers', ...(nats as object | undefined) },
      ...rest,
    },
  });
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.claim;
}
