import type { ConsumerConfig } from '@nats-io/jetstream';
import { retryDelayMs } from './backoff.js';
import type { WorkerSettings } from './settings.js';

const NS_PER_MS = 1_000_000;

/** nats-server's ack wait when a consumer sets none (30 s). */
export const SERVER_DEFAULT_ACK_WAIT_MS = 30_000;

/**
 * What the consumer the worker is bound to means for retries, dead letters and progress acks.
 * The consumer is the truth: the server enforces its `max_deliver`, `ack_wait` and `backoff`
 * whatever the worker's settings say, so the worker decides by them.
 */
export interface DeliveryTerms {
  /**
   * The delivery on which a failing message is dead-lettered: the consumer's `max_deliver`, or
   * `EDS_MAX_DELIVER` when the consumer sets no limit (`-1`).
   */
  readonly maxDeliver: number;
  /** Where `maxDeliver` came from. */
  readonly maxDeliverFrom: 'consumer' | 'EDS_MAX_DELIVER';
  /** The consumer's `ack_wait` in ms. */
  readonly ackWaitMs: number;
  /** The consumer's `backoff` in ms; empty when it has none. */
  readonly backoffMs: readonly number[];
}

export function deliveryTerms(
  config: Partial<ConsumerConfig>,
  settings: WorkerSettings,
): DeliveryTerms {
  const limit = config.max_deliver ?? -1;
  return {
    maxDeliver: limit > 0 ? limit : settings.maxDeliver,
    maxDeliverFrom: limit > 0 ? 'consumer' : 'EDS_MAX_DELIVER',
    ackWaitMs: Math.round((config.ack_wait ?? SERVER_DEFAULT_ACK_WAIT_MS * NS_PER_MS) / NS_PER_MS),
    backoffMs: (config.backoff ?? []).map((ns) => Math.round(ns / NS_PER_MS)),
  };
}

/**
 * How often a running handler's message gets an in-progress ack: a third of the shortest time
 * the server waits for an ack (with a `backoff`, each value is the ack wait of one delivery),
 * at least 100 ms.
 */
export function progressIntervalMs(terms: DeliveryTerms): number {
  return Math.max(100, Math.floor(Math.min(terms.ackWaitMs, ...terms.backoffMs) / 3));
}

/**
 * Nak delay after failed delivery `deliveries`: the consumer's `backoff` value for that delivery
 * (the last one repeats) when it has one, else the worker's `EDS_RETRY_BACKOFF_MS` doubling up to
 * `EDS_RETRY_BACKOFF_MAX_MS`.
 */
export function nakDelayMs(
  terms: DeliveryTerms,
  settings: WorkerSettings,
  deliveries: number,
): number {
  const { backoffMs } = terms;
  if (backoffMs.length > 0) {
    return backoffMs[Math.min(Math.max(1, deliveries), backoffMs.length) - 1] ?? 0;
  }
  return retryDelayMs(deliveries, settings.retryBackoffMs, settings.retryBackoffMaxMs);
}
