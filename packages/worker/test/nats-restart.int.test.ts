import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { doneCounts, duplicates, readRecords } from './harness/records.js';
import { WorkerProcess, ensureBuilt, fixture } from './harness/worker-process.js';

describe('eds-worker while nats-server restarts under load', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let dir: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    server = await NatsServer.start();
    nc = await connectClient(server.url);
    dir = mkdtempSync(join(tmpdir(), 'eds-worker-restart-'));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    await nc.close();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reconnects by itself, is unready while disconnected, and loses nothing', async () => {
    await createStream(nc, 'RESTART', ['restart.>']);
    const records = join(dir, 'restart.jsonl');
    const worker = await WorkerProcess.start(fixture('record-handler.js'), {
      NATS_URL: server.url,
      NATS_STREAM_NAME: 'RESTART',
      NATS_CONSUMER_GROUP: 'restart-workers',
      EDS_CONCURRENCY: '8',
      EDS_ACK_WAIT_MS: '2000',
      HANDLER_DELAY_MS: '20',
      RECORD_FILE: records,
    });
    workers.push(worker);
    await worker.waitReady();

    const ids = jobIds('restart', 400);
    await publishJobs(nc, 'restart.jobs', ids);
    await waitFor('some work done', () => doneCounts(readRecords(records)).size >= 80, 15_000);

    await server.stop();
    await waitFor(
      '/ready to turn 503',
      async () => (await worker.readyStatus()) === 503,
      5_000,
      20,
    );
    const down = await worker.get('/ready');
    expect(JSON.parse(down.body)).toMatchObject({
      status: 'not ready',
      checks: { nats: { ok: false, error: 'disconnected' } },
    });
    expect((await worker.get('/health')).status).toBe(200);
    await sleep(1_000);
    expect(await worker.readyStatus()).toBe(503);

    await server.restart();
    await worker.waitReady(20_000);
    await waitFor('all 400 processed', () => doneCounts(readRecords(records)).size === 400, 40_000);
    await waitFor('every ack to land', async () => {
      const info = await consumerInfo(nc, 'RESTART', 'restart-workers');
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });

    const all = readRecords(records);
    expect([...doneCounts(all).keys()].sort()).toEqual(ids);
    expect(worker.events('nats_disconnected').length).toBeGreaterThanOrEqual(1);
    expect(worker.events('nats_reconnected').length).toBeGreaterThanOrEqual(1);
    const dups = duplicates(all);
    console.log(
      `nats-server restart: ${dups.size} message(s) processed twice ` +
        `(acks in flight when the server went down are lost; those messages return after ack wait)`,
    );
  });
});
