import { DiscardPolicy, RetentionPolicy, StorageType, jetstream } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { consumerInfo, createStream } from './harness/jetstream.js';
import { metric } from './harness/in-process.js';
import { sleep, waitFor } from './harness/ports.js';
import { natsSuite } from './harness/suite.js';

describe('a dead letter that cannot be stored', () => {
  const suite = natsSuite();
  const { nc, env, forget } = suite;

  const start = async (stream: string, extra: Record<string, string> = {}) => {
    const deliveries: number[] = [];
    const w = await suite.start(
      (m) => {
        deliveries.push(m.deliveryCount);
        throw new Error('poison');
      },
      env(stream, {
        EDS_MAX_DELIVER: '2',
        EDS_ACK_WAIT_MS: '1000',
        EDS_RETRY_BACKOFF_MS: '100',
        EDS_RETRY_BACKOFF_MAX_MS: '400',
        // A held dead letter keeps shutdown waiting until context.signal aborts (budget − 4 s).
        EDS_SHUTDOWN_TIMEOUT_MS: '5000',
        ...extra,
      }),
    );
    await waitFor('ready', async () => (await w.ready()).status === 200, 10_000);
    return { w, deliveries };
  };

  it('is kept in progress and retried until a stream captures the subject', async () => {
    const jsm = await createStream(nc(), 'NODL', ['nodl.>']);
    const { w, deliveries } = await start('NODL');
    await jetstream(nc()).publish('nodl.jobs', '{"id":"x"}');

    await waitFor('two failed attempts', () => w.events('dead_letter_failed').length >= 2, 10_000);
    expect(w.events('dead_letter_failed')[0]).toMatchObject({
      cause: 'no-stream',
      deadLetterSubject: 'dead-letter.NODL',
    });
    expect(await metric(w, 'nats_dead_letter_failures_total{reason="no-stream"}')).toBeGreaterThan(
      1,
    );
    expect(await w.ready()).toMatchObject({
      status: 503,
      body: { checks: { deadLetters: { ok: false } } },
    });
    // Well past ack wait: the worker still holds it (no redelivery, nothing lost).
    await sleep(2_500);
    expect(deliveries).toEqual([1, 2]);
    expect((await consumerInfo(nc(), 'NODL', 'nodl-workers')).num_ack_pending).toBe(1);

    await createStream(nc(), 'NODL_DEAD', ['dead-letter.NODL']);
    await waitFor(
      'the dead letter stored',
      async () => (await jsm.streams.info('NODL_DEAD')).state.messages === 1,
      10_000,
    );
    await waitFor('ready again', async () => (await w.ready()).status === 200, 5_000);
    expect(await metric(w, 'nats_messages_dead_lettered_total')).toBe(1);
    await waitFor('terminated', async () => (await jsm.streams.info('NODL')).state.messages === 0);
    expect(deliveries).toEqual([1, 2]);
  });

  it('is kept while the dead-letter stream is full, and stored once there is room', async () => {
    const jsm = await createStream(nc(), 'FULL', ['full.>']);
    await jsm.streams.add({
      name: 'FULL_DEAD',
      subjects: ['dead-letter.FULL'],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_msgs: 1,
      discard: DiscardPolicy.New,
    });
    await jetstream(nc()).publish('dead-letter.FULL', 'an older dead letter');
    const { w, deliveries } = await start('FULL');
    await jetstream(nc()).publish('full.jobs', '{"id":"y"}');

    await waitFor('a failed attempt', () => w.events('dead_letter_failed').length >= 1, 10_000);
    expect(w.events('dead_letter_failed')[0]).toMatchObject({ cause: 'rejected' });
    expect(String(w.events('dead_letter_failed')[0]?.message)).toContain('maximum messages');
    expect(await metric(w, 'nats_dead_letter_failures_total{reason="rejected"}')).toBeGreaterThan(
      0,
    );
    expect((await w.ready()).status).toBe(503);

    await jsm.streams.purge('FULL_DEAD');
    await waitFor(
      'the dead letter stored',
      async () => (await jsm.streams.info('FULL_DEAD')).state.messages === 1,
      10_000,
    );
    await waitFor('ready again', async () => (await w.ready()).status === 200, 5_000);
    await waitFor('terminated', async () => (await jsm.streams.info('FULL')).state.messages === 0);
    expect(deliveries).toEqual([1, 2]);
  });

  it('at shutdown, names the message it could not dead-letter and where it stays', async () => {
    await createStream(nc(), 'BYE', ['bye.>']);
    const { w } = await start('BYE');
    const { seq } = await jetstream(nc()).publish('bye.jobs', '{"id":"z"}');
    await waitFor('a failed attempt', () => w.events('dead_letter_failed').length >= 1, 10_000);

    const result = await w.worker.stop('test');
    expect(result).toMatchObject({ clean: true, abandoned: 0 });
    expect(w.events('dead_letter_abandoned')).toMatchObject([
      { cause: 'no-stream', handedBack: false, origin: { stream: 'BYE', sequence: seq } },
    ]);
    forget(w);
  });

  it('near max_payload: kept, and the log names the size, not a missing stream', async () => {
    const jsm = await createStream(nc(), 'BIG', ['big.>']);
    await createStream(nc(), 'BIG_DEAD', ['dead-letter.BIG']);
    const maxPayload = nc().info?.max_payload ?? 0;
    expect(maxPayload).toBe(1_048_576);
    const { w, deliveries } = await start('BIG');
    // Fits the server's limit by itself; the dead-letter headers push the copy over it.
    const { seq } = await jetstream(nc()).publish('big.jobs', new Uint8Array(maxPayload - 100));

    await waitFor('a failed attempt', () => w.events('dead_letter_failed').length >= 2, 10_000);
    const [failed] = w.events('dead_letter_failed');
    expect(failed).toMatchObject({ cause: 'too-large', origin: { sequence: seq } });
    expect(String(failed?.message)).toMatch(
      /could not be stored on dead-letter\.BIG: the copy is \d+ bytes with the dead-letter headers, over the server's max_payload of 1048576; raise max_payload/,
    );
    expect(await metric(w, 'nats_dead_letter_failures_total{reason="too-large"}')).toBeGreaterThan(
      1,
    );
    expect(await w.ready()).toMatchObject({
      status: 503,
      body: { checks: { deadLetters: { ok: false } } },
    });
    await sleep(2_500);
    expect(deliveries).toEqual([1, 2]);
    expect((await consumerInfo(nc(), 'BIG', 'big-workers')).num_ack_pending).toBe(1);
    expect((await jsm.streams.info('BIG')).state.messages).toBe(1);
  });
});
