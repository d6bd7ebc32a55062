import { jetstream } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '@eds/worker';
import type { WorkerMessage } from '@eds/worker';
import { consumerInfo, createStream } from './harness/jetstream.js';
import { sleep, waitFor } from './harness/ports.js';
import { natsSuite } from './harness/suite.js';

describe('runWorker in process', () => {
  const { nc, start, env } = natsSuite();
  const publish = async (subject: string, body: string): Promise<number> =>
    (await jetstream(nc()).publish(subject, body)).seq;

  it('reports a missing stream on /ready, retries, and binds once the stream exists', async () => {
    const w = await start(() => undefined, env('LATER'));
    await waitFor('a bind failure', () => w.events('consumer_bind_failed').length > 0, 5_000);
    const { status, body } = await w.ready();
    expect(status).toBe(503);
    expect(body).toMatchObject({
      status: 'not ready',
      checks: { nats: { ok: true }, consumer: { ok: false } },
    });
    expect(JSON.stringify(body)).toContain('stream \\"LATER\\" (NATS_STREAM_NAME) does not exist');
    expect(w.events('consumer_bind_failed')[0]).toMatchObject({ code: 'EDS_STREAM_NOT_FOUND' });

    await createStream(nc(), 'LATER', ['later.>']);
    await waitFor('ready', async () => (await w.ready()).status === 200, 10_000);
    expect(w.events('consumer_created')).toHaveLength(1);
  });

  it('includes application readiness checks and names the failing one', async () => {
    await createStream(nc(), 'CHECKS', ['checks.>']);
    let databaseUp = false;
    const w = await start(() => undefined, env('CHECKS'), {
      readinessChecks: {
        database: () => Promise.resolve(databaseUp),
        cache: () => Promise.resolve(),
      },
    });
    await waitFor('bound', async () =>
      JSON.stringify((await w.ready()).body).includes('"consumer":{"ok":true}'),
    );
    expect(await w.ready()).toEqual({
      status: 503,
      body: {
        status: 'not ready',
        checks: {
          nats: { ok: true },
          consumer: { ok: true },
          shutdown: { ok: true },
          deadLetters: { ok: true },
          database: { ok: false, error: 'returned false' },
          cache: { ok: true },
        },
      },
    });
    databaseUp = true;
    expect((await w.ready()).status).toBe(200);
  });

  it('uses an existing consumer as is and logs how it differs', async () => {
    const jsm: JetStreamManager = await createStream(nc(), 'KEEP', ['keep.>']);
    await jsm.consumers.add('KEEP', {
      durable_name: 'keep-workers',
      ack_policy: 'explicit',
      ack_wait: 10_000_000_000,
      max_deliver: 7,
    });
    const before = (await consumerInfo(nc(), 'KEEP', 'keep-workers')).config;
    const w = await start(() => undefined, env('KEEP', { EDS_ACK_WAIT_MS: '2000' }));
    await waitFor('ready', async () => (await w.ready()).status === 200);
    expect((await consumerInfo(nc(), 'KEEP', 'keep-workers')).config).toEqual(before);
    const [differs] = w.events('consumer_config_differs');
    expect(differs?.['differences']).toEqual([
      expect.objectContaining({ field: 'ack_wait', existing: '10000 ms', worker: '2000 ms' }),
      expect.objectContaining({ field: 'max_deliver', existing: 7, worker: 5 }),
    ]);
  });

  it('recreates its consumer when it is deleted under it, unready meanwhile', async () => {
    const jsm = await createStream(nc(), 'GONE', ['gone.>']);
    const seen: string[] = [];
    const w = await start((m: WorkerMessage) => {
      seen.push(m.string());
    }, env('GONE'));
    await waitFor('ready', async () => (await w.ready()).status === 200);
    await jsm.consumers.delete('GONE', 'gone-workers');
    await waitFor('unready', async () => (await w.ready()).status === 503, 10_000);
    expect((await w.ready()).body).toMatchObject({
      checks: { consumer: { ok: false, error: 'consumer not found' } },
    });
    await waitFor('ready again', async () => (await w.ready()).status === 200, 15_000);
    expect((await consumerInfo(nc(), 'GONE', 'gone-workers')).config.ack_policy).toBe('explicit');
    await publish('gone.x', 'after');
    await waitFor('processed', () => seen.length === 1, 10_000);
    expect(seen).toEqual(['after']);
  });

  it('keeps a long handler’s message from being redelivered with progress acks', async () => {
    await createStream(nc(), 'LONG', ['long.>']);
    const seen: { seq: number; deliveries: number }[] = [];
    const w = await start(
      async (m: WorkerMessage) => {
        seen.push({ seq: m.seq, deliveries: m.deliveryCount });
        await sleep(3_500);
      },
      env('LONG', { EDS_ACK_WAIT_MS: '1000', EDS_CONCURRENCY: '2' }),
    );
    await waitFor('ready', async () => (await w.ready()).status === 200);
    const seqs = [await publish('long.a', '1'), await publish('long.b', '2')];
    await waitFor(
      'both acked',
      async () => {
        const info = await consumerInfo(nc(), 'LONG', 'long-workers');
        return (
          info.num_ack_pending === 0 && info.num_pending === 0 && info.delivered.stream_seq === 2
        );
      },
      10_000,
    );
    expect(seen).toEqual(seqs.map((seq) => ({ seq, deliveries: 1 })));
    expect((await consumerInfo(nc(), 'LONG', 'long-workers')).num_redelivered).toBe(0);
  });

  it('retries a failed message after the backoff delay, then acks it', async () => {
    await createStream(nc(), 'RETRY', ['retry.>']);
    const attempts: { deliveries: number; at: number }[] = [];
    const w = await start(
      (m: WorkerMessage) => {
        attempts.push({ deliveries: m.deliveryCount, at: Date.now() });
        if (m.deliveryCount === 1) throw new Error('transient');
      },
      env('RETRY', { EDS_RETRY_BACKOFF_MS: '600' }),
    );
    await waitFor('ready', async () => (await w.ready()).status === 200);
    await publish('retry.x', 'payload');
    await waitFor('second attempt', () => attempts.length === 2, 5_000);
    expect(attempts.map((a) => a.deliveries)).toEqual([1, 2]);
    const gap = (attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(550);
    expect(gap).toBeLessThan(2_500);
    await sleep(300);
    expect(attempts).toHaveLength(2);
    expect(w.events('message_failed')[0]).toMatchObject({ deliveries: 1, retryInMs: 600 });
  });

  it('dead-letters a permanent error or undecodable JSON at the first delivery', async () => {
    const jsm = await createStream(nc(), 'PERM', ['perm.>']);
    await createStream(nc(), 'PERM_DEAD', ['perm-dead']);
    const w = await start(
      (m: WorkerMessage) => {
        if (m.string() === 'bad') throw new PermanentError('will never work');
        m.json();
      },
      env('PERM', { EDS_DEAD_LETTER_SUBJECT: 'perm-dead' }),
    );
    await waitFor('ready', async () => (await w.ready()).status === 200);
    await publish('perm.a', 'bad');
    await publish('perm.b', '{not json');
    await waitFor(
      'two dead letters',
      async () => (await jsm.streams.info('PERM_DEAD')).state.messages === 2,
      5_000,
    );
    const errors = await Promise.all(
      [1, 2].map(async (seq) =>
        (await jsm.streams.getMessage('PERM_DEAD', { seq }))?.header.get('Eds-Last-Error'),
      ),
    );
    expect(errors.sort()).toEqual([
      'MessageDecodeError: message 2 on perm.b is not JSON (9 bytes)',
      'PermanentError: will never work',
    ]);
    expect(
      w
        .events('message_dead_lettered')
        .map((l) => (l['origin'] as { deliveries: number }).deliveries),
    ).toEqual([1, 1]);
  });

  it('aborts context.signal during shutdown and hands the message back', async () => {
    await createStream(nc(), 'ABORT', ['abort.>']);
    let started = false;
    const w = await start(
      (_m: WorkerMessage, ctx) =>
        new Promise((_resolve, reject) => {
          started = true;
          ctx.signal.addEventListener('abort', () => {
            reject(ctx.signal.reason as Error);
          });
        }),
      env('ABORT', { EDS_SHUTDOWN_TIMEOUT_MS: '2000' }),
    );
    await waitFor('ready', async () => (await w.ready()).status === 200);
    const seq = await publish('abort.x', 'payload');
    await waitFor('handler started', () => started);
    const result = await w.worker.stop('test');
    expect(result).toMatchObject({ clean: true, abandoned: 0, reason: 'test' });
    // Budget 2 s: abort at 1.4 s (1.8 s give-up minus 0.4 s grace).
    expect(result.durationMs).toBeGreaterThanOrEqual(1_350);
    expect(result.durationMs).toBeLessThan(1_800);
    expect(w.events('message_aborted')).toHaveLength(1);
    // Handed back with a nak: the next worker gets it at once, not after the 30 s ack wait.
    const seen: number[] = [];
    await start((m: WorkerMessage) => {
      seen.push(m.seq);
    }, env('ABORT'));
    await waitFor('redelivered at once', () => seen.length === 1, 3_000);
    expect(seen).toEqual([seq]);
  });

  it('abandons a handler that ignores the signal and reports an unclean stop', async () => {
    await createStream(nc(), 'STUCK', ['stuck.>']);
    let started = false;
    const w = await start(
      () => {
        started = true;
        return new Promise(() => undefined);
      },
      env('STUCK', { EDS_SHUTDOWN_TIMEOUT_MS: '1500' }),
    );
    await waitFor('ready', async () => (await w.ready()).status === 200);
    await publish('stuck.x', 'payload');
    await waitFor('handler started', () => started);
    const result = await w.worker.stop('test');
    expect(result).toMatchObject({ clean: false, abandoned: 1 });
    expect(result.durationMs).toBeLessThan(1_500);
  });
});
