import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import type { ConsumerConfig } from '@nats-io/jetstream';
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
 * an existing consumer (nats-server 2.9 would silently overwrite it), it only reports these.
 */
export function compareConsumerConfig(
  existing: Partial<ConsumerConfig>,
  settings: WorkerSettings,
): ConsumerDifference[] {
  const out: ConsumerDifference[] = [];
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
  const ackWaitMs = Math.round((existing.ack_wait ?? 30_000 * NS_PER_MS) / NS_PER_MS);
  if (ackWaitMs !== settings.ackWaitMs) {
    out.push({
      field: 'ack_wait',
      existing: `${ackWaitMs} ms`,
      worker: `${settings.ackWaitMs} ms`,
      effect: `the consumer's ack wait applies; the worker sends progress acks every ${Math.round(settings.ackWaitMs / 3)} ms`,
    });
  }
  const maxDeliver = existing.max_deliver ?? -1;
  if (maxDeliver !== settings.maxDeliver) {
    out.push({
      field: 'max_deliver',
      existing: maxDeliver,
      worker: settings.maxDeliver,
      effect:
        maxDeliver > 0 && maxDeliver < settings.maxDeliver
          ? `the server stops delivering after ${maxDeliver} deliveries, before the worker dead-letters`
          : `the worker dead-letters after ${settings.maxDeliver} deliveries`,
    });
  }
  if (existing.backoff !== undefined && existing.backoff.length > 0) {
    out.push({
      field: 'backoff',
      existing: existing.backoff.map((ns) => `${Math.round(ns / NS_PER_MS)} ms`),
      worker: 'none',
      effect: 'the server backoff replaces ack wait for redeliveries after a timeout',
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
