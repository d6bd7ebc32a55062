import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import type { ConsumerConfig } from '@nats-io/jetstream';
import { deliveryTerms, progressIntervalMs } from './delivery-terms.js';
import type { WorkerSettings } from './settings.js';

const NS_PER_MS = 1_000_000;

/** The consumer the worker creates when none exists: durable, pull, explicit acks. */
export function desiredConsumerConfig(settings: WorkerSettings): Partial<ConsumerConfig> {
  return {
    durable_name: settings.consumer,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: settings.ackWaitMs * NS_PER_MS,
    max_deliver: settings.maxDeliver,
  };
}

/** One way an existing consumer differs from what the worker would have created. */
export interface ConsumerDifference {
  readonly field: string;
  readonly existing: unknown;
  readonly worker: unknown;
  /** What the difference means for this worker. */
  readonly effect: string;
}

/**
 * Differences between an existing consumer and the worker's settings. The worker never rewrites
 * an existing consumer (nats-server 2.9 would silently overwrite it): it follows it (see
 * `deliveryTerms`) and reports these, each with what it means for this worker.
 */
export function compareConsumerConfig(
  existing: Partial<ConsumerConfig>,
  settings: WorkerSettings,
): ConsumerDifference[] {
  const out: ConsumerDifference[] = [];
  const terms = deliveryTerms(existing, settings);
  const ackPolicy = existing.ack_policy ?? AckPolicy.Explicit;
  if (ackPolicy !== AckPolicy.Explicit) {
    out.push({
      field: 'ack_policy',
      existing: ackPolicy,
      worker: AckPolicy.Explicit,
      effect:
        ackPolicy === AckPolicy.None
          ? 'acks are ignored: a crash loses the messages in flight'
          : 'one ack also acks earlier messages: a crash can lose messages still in flight',
    });
  }
  if (terms.ackWaitMs !== settings.ackWaitMs) {
    out.push({
      field: 'ack_wait',
      existing: `${terms.ackWaitMs} ms`,
      worker: `${settings.ackWaitMs} ms`,
      effect: `the consumer's ack wait applies; the worker sends progress acks every ${progressIntervalMs(terms)} ms`,
    });
  }
  const maxDeliver = existing.max_deliver ?? -1;
  if (maxDeliver !== settings.maxDeliver) {
    out.push({
      field: 'max_deliver',
      existing: maxDeliver,
      worker: settings.maxDeliver,
      effect:
        terms.maxDeliverFrom === 'consumer'
          ? `the worker dead-letters on delivery ${terms.maxDeliver} (the consumer's max_deliver), not after EDS_MAX_DELIVER=${settings.maxDeliver}`
          : `the consumer sets no limit; the worker dead-letters after ${settings.maxDeliver} deliveries (EDS_MAX_DELIVER)`,
    });
  }
  if (terms.backoffMs.length > 0) {
    out.push({
      field: 'backoff',
      existing: terms.backoffMs.map((ms) => `${ms} ms`),
      worker: 'none',
      effect:
        "retries wait the consumer's backoff values instead of EDS_RETRY_BACKOFF_MS, and each " +
        `value is the ack wait of its delivery; progress acks every ${progressIntervalMs(terms)} ms`,
    });
  }
  return out;
}

/** Why the worker cannot pull from this consumer at all, or undefined if it can. */
export function unusableReason(existing: Partial<ConsumerConfig>): string | undefined {
  if (existing.deliver_subject !== undefined && existing.deliver_subject !== '') {
    return `is a push consumer (deliver_subject ${existing.deliver_subject}); the worker needs a pull consumer`;
  }
  return undefined;
}
