import { AckPolicy, jetstream } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { createStream } from './harness/jetstream.js';
import { waitFor } from './harness/ports.js';
import { natsSuite } from './harness/suite.js';

const NS_PER_MS = 1_000_000;

describe('a consumer that already exists decides retries and dead-lettering', () => {
  const { nc, start, env } = natsSuite();

  it('dead-letters at the consumer’s max_deliver, and at the new one after a rebind', async () => {
    const jsm = await createStream(nc(), 'TRUTH', ['truth.>']);
    await createStream(nc(), 'TRUTH_DEAD', ['dead-letter.TRUTH']);
    // Made by an operator before any worker ran: fewer deliveries than EDS_MAX_DELIVER.
    await jsm.consumers.add('TRUTH', {
      durable_name: 'truth-workers',
      ack_policy: AckPolicy.Explicit,
      ack_wait: 2_000 * NS_PER_MS,
      max_deliver: 2,
    });
    const deliveries: number[] = [];
    const w = await start(
      (m) => {
        deliveries.push(m.deliveryCount);
        throw new Error('poison');
      },
      env('TRUTH', { EDS_MAX_DELIVER: '4', EDS_RETRY_BACKOFF_MS: '100' }),
    );
    await waitFor('ready', async () => (await w.ready()).status === 200, 10_000);
    const js = jetstream(nc());
    await js.publish('truth.jobs', '{"n":1}');

    await waitFor(
      'the first dead letter',
      async () => (await jsm.streams.info('TRUTH_DEAD')).state.messages === 1,
      8_000,
    );
    expect(deliveries).toEqual([1, 2]);
    // The worker logs the dead letter after the stream acknowledged it.
    await waitFor('the dead letter logged', () => w.events('message_dead_lettered').length === 1);
    expect(w.events('message_dead_lettered').map((l) => l['origin'])).toMatchObject([
      { deliveries: 2 },
    ]);

    // Deleted under the worker: it recreates the consumer with its own settings (max_deliver 4)
    // and from then on follows that one.
    // nats-server 2.9.10 sometimes answers "directory not empty" to a delete right after the
    // consumer stored state; try again until it is gone.
    await waitFor('the consumer deleted', async () => {
      await jsm.consumers.delete('TRUTH', 'truth-workers').catch(() => undefined);
      return !(await jsm.consumers.list('TRUTH').next()).some((c) => c.name === 'truth-workers');
    });
    await waitFor(
      'the consumer recreated',
      () => w.events('consumer_created').length === 1,
      15_000,
    );
    deliveries.length = 0;
    await js.publish('truth.jobs', '{"n":2}');
    await waitFor(
      'the second dead letter',
      async () => (await jsm.streams.info('TRUTH_DEAD')).state.messages === 2,
      15_000,
    );
    expect(deliveries).toEqual([1, 2, 3, 4]);
    expect((await jsm.streams.info('TRUTH')).state.messages).toBe(0);
  });
});
