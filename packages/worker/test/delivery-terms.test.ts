import { describe, expect, it } from 'vitest';
import { resolveSettings } from '@eds/worker';
import { deliveryTerms, nakDelayMs, progressIntervalMs } from '../src/delivery-terms.js';

const settings = resolveSettings({
  NATS_STREAM_NAME: 'JOBS',
  NATS_CONSUMER_GROUP: 'jobs-workers',
  EDS_MAX_DELIVER: '5',
  EDS_RETRY_BACKOFF_MS: '1000',
  EDS_RETRY_BACKOFF_MAX_MS: '4000',
});
const MS = 1_000_000;

describe('deliveryTerms: the consumer is the truth', () => {
  it.each([
    {
      reason: 'the consumer’s max_deliver wins over EDS_MAX_DELIVER, lower or higher',
      config: { max_deliver: 2, ack_wait: 2_000 * MS },
      terms: { maxDeliver: 2, maxDeliverFrom: 'consumer', ackWaitMs: 2_000, backoffMs: [] },
    },
    {
      reason: 'a higher max_deliver also wins',
      config: { max_deliver: 9, ack_wait: 30_000 * MS },
      terms: { maxDeliver: 9, maxDeliverFrom: 'consumer', ackWaitMs: 30_000, backoffMs: [] },
    },
    {
      reason: 'no limit on the consumer: the worker’s own limit',
      config: { max_deliver: -1 },
      terms: { maxDeliver: 5, maxDeliverFrom: 'EDS_MAX_DELIVER', ackWaitMs: 30_000, backoffMs: [] },
    },
    {
      reason: 'a server backoff is read in ms',
      config: { max_deliver: 4, ack_wait: 1_000 * MS, backoff: [1_000 * MS, 6_000 * MS] },
      terms: {
        maxDeliver: 4,
        maxDeliverFrom: 'consumer',
        ackWaitMs: 1_000,
        backoffMs: [1_000, 6_000],
      },
    },
  ])('$reason', ({ config, terms }) => {
    expect(deliveryTerms(config, settings)).toEqual(terms);
  });
});

describe('progressIntervalMs', () => {
  it('is a third of the shortest ack wait, backoff values included, at least 100 ms', () => {
    const base = { maxDeliver: 5, maxDeliverFrom: 'consumer' } as const;
    expect(progressIntervalMs({ ...base, ackWaitMs: 30_000, backoffMs: [] })).toBe(10_000);
    expect(progressIntervalMs({ ...base, ackWaitMs: 30_000, backoffMs: [6_000, 60_000] })).toBe(
      2_000,
    );
    expect(progressIntervalMs({ ...base, ackWaitMs: 150, backoffMs: [] })).toBe(100);
  });
});

describe('nakDelayMs', () => {
  it('uses the consumer’s backoff per delivery (the last repeats), else the worker’s doubling', () => {
    const withBackoff = deliveryTerms(
      { max_deliver: 5, backoff: [500 * MS, 7_000 * MS] },
      settings,
    );
    expect([1, 2, 3, 4].map((d) => nakDelayMs(withBackoff, settings, d))).toEqual([
      500, 7_000, 7_000, 7_000,
    ]);
    const without = deliveryTerms({ max_deliver: 5 }, settings);
    expect([1, 2, 3, 4].map((d) => nakDelayMs(without, settings, d))).toEqual([
      1_000, 2_000, 4_000, 4_000,
    ]);
  });
});
