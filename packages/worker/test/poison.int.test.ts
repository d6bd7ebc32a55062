import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectClient,
  consumerInfo,
  createStream,
  jobIds,
  publishJobs,
} from './harness/jetstream.js';
import { NatsServer } from './harness/nats-server.js';
import { sleep, waitFor } from './harness/ports.js';
import { doneCounts, readRecords } from './harness/records.js';
import { WorkerProcess, ensureBuilt, fixture } from './harness/worker-process.js';

describe('eds-worker with a poison message', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let dir: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    server = await NatsServer.start();
    nc = await connectClient(server.url);
    dir = mkdtempSync(join(tmpdir(), 'eds-worker-poison-'));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    await nc.close();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('dead-letters it after max deliveries with its origin, terminates it, and keeps going', async () => {
    const jsm = await createStream(nc, 'POISON', ['poison.>']);
    await createStream(nc, 'DEAD', ['dead-letter.POISON']);
    const records = join(dir, 'poison.jsonl');
    const ids = jobIds('job', 50);
    const poison = 'job-00007';
    const worker = await WorkerProcess.start(fixture('record-handler.js'), {
      NATS_URL: server.url,
      NATS_STREAM_NAME: 'POISON',
      NATS_CONSUMER_GROUP: 'poison-workers',
      EDS_MAX_DELIVER: '3',
      EDS_RETRY_BACKOFF_MS: '100',
      EDS_ACK_WAIT_MS: '2000',
      FAIL_IDS: poison,
      RECORD_FILE: records,
    });
    workers.push(worker);
    await worker.waitReady();
    await publishJobs(nc, 'poison.jobs', ids);

    const dead = await jetstreamManager(nc);
    await waitFor(
      'the dead letter',
      async () => (await dead.streams.info('DEAD')).state.messages === 1,
      15_000,
    );
    await waitFor('the other 49', () => doneCounts(readRecords(records)).size === 49, 15_000);

    const failures = readRecords(records).filter((r) => r.event === 'fail');
    expect(failures.map((r) => [r.id, r.deliveries])).toEqual([
      [poison, 1],
      [poison, 2],
      [poison, 3],
    ]);
    const seq = failures[0]?.seq;

    const letter = await dead.streams.getMessage('DEAD', { seq: 1 });
    expect(letter?.subject).toBe('dead-letter.POISON');
    expect(letter?.json()).toEqual({ id: poison });
    const h = letter?.header;
    expect({
      stream: h?.get('Eds-Origin-Stream'),
      consumer: h?.get('Eds-Origin-Consumer'),
      subject: h?.get('Eds-Origin-Subject'),
      sequence: h?.get('Eds-Origin-Sequence'),
      deliveries: h?.get('Eds-Deliveries'),
      error: h?.get('Eds-Last-Error'),
    }).toEqual({
      stream: 'POISON',
      consumer: 'poison-workers',
      subject: 'poison.jobs',
      sequence: String(seq),
      deliveries: '3',
      error: `Error: cannot process ${poison}: poison`,
    });

    // Terminated, not redelivered: wait past ack wait and check it stayed gone.
    await sleep(2_500);
    expect(readRecords(records).filter((r) => r.event === 'fail')).toHaveLength(3);
    const info = await consumerInfo(nc, 'POISON', 'poison-workers');
    expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);
    expect((await jsm.streams.info('POISON')).state.messages).toBe(0);

    const metrics = await worker.metrics();
    expect(metrics.get('nats_messages_dead_lettered_total')).toBe(1);
    expect(metrics.get('nats_messages_processed_total{status="error"}')).toBe(3);
    expect(metrics.get('nats_messages_processed_total{status="success"}')).toBe(49);
    expect(worker.events('message_dead_lettered')).toHaveLength(1);
  });
});
