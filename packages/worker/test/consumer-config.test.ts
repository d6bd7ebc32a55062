import { describe, expect, it } from 'vitest';
import { resolveSettings } from '@eds/worker';
import {
  compareConsumerConfig,
  desiredConsumerConfig,
  unusableReason,
} from '../src/consumer-config.js';

const settings = resolveSettings({
  NATS_STREAM_NAME: 'SIMPLE_JOBS',
  NATS_CONSUMER_GROUP: 'simple-workers',
});
const S = 1_000_000_000;

describe('desiredConsumerConfig', () => {
  it('is a durable pull consumer with explicit acks and the worker’s ack wait and max deliveries', () => {
    expect(desiredConsumerConfig(settings)).toEqual({
      durable_name: 'simple-workers',
      ack_policy: 'explicit',
      deliver_policy: 'all',
      ack_wait: 30 * S,
      max_deliver: 5,
    });
  });
});

describe('compareConsumerConfig', () => {
  it('finds nothing for the consumer the worker would create', () => {
    expect(compareConsumerConfig(desiredConsumerConfig(settings), settings)).toEqual([]);
  });

  it('lists each difference with its effect', () => {
    expect(
      compareConsumerConfig(
        {
          durable_name: 'simple-workers',
          ack_policy: 'all',
          ack_wait: 10 * S,
          max_deliver: 3,
          backoff: [S, 5 * S],
        },
        settings,
      ),
    ).toEqual([
      {
        field: 'ack_policy',
        existing: 'all',
        worker: 'explicit',
        effect: 'one ack also acks earlier messages: a crash can lose messages still in flight',
      },
      {
        field: 'ack_wait',
        existing: '10000 ms',
        worker: '30000 ms',
        effect: "the consumer's ack wait applies; the worker sends progress acks every 333 ms",
      },
      {
        field: 'max_deliver',
        existing: 3,
        worker: 5,
        effect:
          "the worker dead-letters on delivery 3 (the consumer's max_deliver), not after EDS_MAX_DELIVER=5",
      },
      {
        field: 'backoff',
        existing: ['1000 ms', '5000 ms'],
        worker: 'none',
        effect:
          "retries wait the consumer's backoff values instead of EDS_RETRY_BACKOFF_MS, and each value " +
          'is the ack wait of its delivery; progress acks every 333 ms',
      },
    ]);
  });

  it('reads a missing max_deliver as unlimited and ack_policy none as losing messages', () => {
    expect(compareConsumerConfig({ ack_policy: 'none', ack_wait: 30 * S }, settings)).toEqual([
      {
        field: 'ack_policy',
        existing: 'none',
        worker: 'explicit',
        effect: 'acks are ignored: a crash loses the messages in flight',
      },
      {
        field: 'max_deliver',
        existing: -1,
        worker: 5,
        effect:
          'the consumer sets no limit; the worker dead-letters after 5 deliveries (EDS_MAX_DELIVER)',
      },
    ]);
  });
});

describe('unusableReason', () => {
  it('rejects a push consumer and accepts a pull consumer', () => {
    expect(unusableReason({ deliver_subject: 'push.inbox' })).toBe(
      'is a push consumer (deliver_subject push.inbox); the worker needs a pull consumer',
    );
    expect(unusableReason({ durable_name: 'x' })).toBeUndefined();
  });
});
