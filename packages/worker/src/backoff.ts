/**
 * Redelivery delay after a failed attempt: `initialMs` after the first delivery, doubling with
 * each further delivery, never above `maxMs`. Deterministic (no jitter): the server already
 * spreads redeliveries across replicas, and tests can state exact values.
 */
export function retryDelayMs(deliveryCount: number, initialMs: number, maxMs: number): number {
  const attempt = Math.max(1, Math.floor(deliveryCount));
  // 2^30 already exceeds any sensible bound; stop there so the product stays finite.
  const factor = 2 ** Math.min(attempt - 1, 30);
  return Math.min(maxMs, initialMs * factor);
}

/** Delay before the n-th retry (0-based) of the worker's own startup steps: 1 s doubling to 10 s. */
export function startupRetryDelayMs(attempt: number): number {
  return Math.min(10_000, 1_000 * 2 ** Math.min(Math.max(0, attempt), 10));
}
