import { jetstream } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { createStream } from './harness/jetstream.js';
import { metric } from './harness/in-process.js';
import { waitFor } from './harness/ports.js';
import { natsSuite } from './harness/suite.js';

describe('a handler that never returns', () => {
  const { nc, start, env } = natsSuite();

  it('is aborted at its deadline, its message retried, and the timeout counted and logged', async () => {
    await createStream(nc(), 'HANG', ['hang.>']);
    const seen: { deliveries: number; abortedBy?: string }[] = [];
    const w = await start(
      async (m, context) => {
        const entry: { deliveries: number; abortedBy?: string } = { deliveries: m.deliveryCount };
        seen.push(entry);
        context.signal.addEventListener('abort', () => {
          entry.abortedBy = (context.signal.reason as Error).name;
        });
        // The first delivery hangs for good and ignores the signal; the retry succeeds.
        if (m.deliveryCount === 1) await new Promise(() => undefined);
      },
      env('HANG', {
        EDS_CONCURRENCY: '1',
        EDS_ACK_WAIT_MS: '1000',
        EDS_HANDLER_TIMEOUT_MS: '1500',
        EDS_RETRY_BACKOFF_MS: '100',
      }),
    );
    await waitFor('ready', async () => (await w.ready()).status === 200, 10_000);
    await jetstream(nc()).publish('hang.jobs', 'x');

    await waitFor('the retry', () => seen.length === 2, 8_000);
    expect(seen).toEqual([{ deliveries: 1, abortedBy: 'HandlerTimeoutError' }, { deliveries: 2 }]);
    await waitFor(
      'the success counted',
      async () => (await metric(w, 'nats_messages_processed_total{status="success"}')) === 1,
    );
    expect(await metric(w, 'nats_handler_timeouts_total')).toBe(1);
    expect(await metric(w, 'nats_messages_processed_total{status="error"}')).toBe(1);
    expect(await metric(w, 'nats_handlers_overdue')).toBe(1);
    expect(w.events('handler_timeout')).toMatchObject([
      { level: 50, seq: 1, deliveries: 1, timeoutMs: 1500 },
    ]);
    expect(w.events('message_failed')).toMatchObject([{ seq: 1, deliveries: 1 }]);
  });
});
