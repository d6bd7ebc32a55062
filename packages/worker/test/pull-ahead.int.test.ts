import type { NatsConnection } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import type { WorkerMessage } from '@eds/worker';
import { consumerInfo, createStream, jobIds, publishJobs } from './harness/jetstream.js';
import { metric } from './harness/in-process.js';
import { sleep, waitFor } from './harness/ports.js';
import { natsSuite } from './harness/suite.js';

/** The batch of every pull request the worker sends for `stream`/`consumer`, seen on the wire. */
function watchPulls(nc: NatsConnection, stream: string, consumer: string): number[] {
  const batches: number[] = [];
  nc.subscribe(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, {
    callback: (_err, msg) => {
      batches.push(msg.json<{ batch: number }>().batch);
    },
  });
  return batches;
}

describe('how far the worker pulls ahead of its handlers', () => {
  const { nc, start, env } = natsSuite();

  it('pulls well ahead for a fast handler, never past concurrency + 100', async () => {
    await createStream(nc(), 'FAST', ['fast.>']);
    const batches = watchPulls(nc(), 'FAST', 'fast-workers');
    await nc().flush();
    let seen = 0;
    const w = await start(() => {
      seen++;
    }, env('FAST'));
    await waitFor('ready', async () => (await w.ready()).status === 200);
    await publishJobs(nc(), 'fast.job', jobIds('fast', 3_000));
    await waitFor('all handled', () => seen === 3_000, 20_000);
    // Concurrency 5 (the default): the first pull asks for 5 + 1, later ones for far more.
    expect(batches[0]).toBe(6);
    expect(Math.max(...batches)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...batches)).toBeLessThanOrEqual(105);
    // Fewer round trips than messages / concurrency, which is what a batch of 5 needs.
    expect(batches.length).toBeLessThan(3_000 / 5 / 2);
  });

  it('holds at most concurrency + 1 for a slow handler, and keeps waiting ones in progress', async () => {
    await createStream(nc(), 'SLOW', ['slow.>']);
    const batches = watchPulls(nc(), 'SLOW', 'slow-workers');
    await nc().flush();
    const deliveries: number[] = [];
    const w = await start(
      async (m: WorkerMessage) => {
        deliveries.push(m.deliveryCount);
        await sleep(1_500);
      },
      // Ack wait 1 s: a message waiting behind a 1.5 s handler is redelivered unless kept in progress.
      env('SLOW', { EDS_CONCURRENCY: '2', EDS_ACK_WAIT_MS: '1000' }),
    );
    await waitFor('ready', async () => (await w.ready()).status === 200);
    await publishJobs(nc(), 'slow.job', jobIds('slow', 8));
    let peak = 0;
    let buffered = 0;
    const watching = (async () => {
      while (deliveries.length < 8) {
        const info = await consumerInfo(nc(), 'SLOW', 'slow-workers');
        peak = Math.max(peak, info.num_ack_pending);
        buffered = Math.max(buffered, (await metric(w, 'nats_messages_buffered')) ?? 0);
        await sleep(100);
      }
    })();
    await waitFor(
      'all acked',
      async () => {
        const info = await consumerInfo(nc(), 'SLOW', 'slow-workers');
        return info.num_ack_pending === 0 && info.num_pending === 0;
      },
      20_000,
    );
    await watching;
    // Two in handlers and one buffered: 3. The server handles acks on its own queue, so a pull
    // sent right after an ack can be answered first: each of the two handlers' acks the server
    // has not yet handled shows as one more for a moment (seen: 4 on an idle machine, 5 with a
    // compiler running beside it). The worker's own bounds, one buffered and pulls of at most
    // 3, are exact below; pulling 8 at once would show 8 here.
    expect(peak).toBeGreaterThanOrEqual(3);
    expect(peak).toBeLessThanOrEqual(2 + 1 + 2);
    expect(buffered).toBe(1);
    expect(Math.max(...batches)).toBeLessThanOrEqual(3);
    expect(deliveries).toEqual(Array<number>(8).fill(1));
    expect((await consumerInfo(nc(), 'SLOW', 'slow-workers')).num_redelivered).toBe(0);
  });
});
