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
import { waitFor } from './harness/ports.js';
import { doneCounts, readRecords } from './harness/records.js';
import { WorkerProcess, ensureBuilt, fixture } from './harness/worker-process.js';

describe('two eds-workers on one consumer', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let dir: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    server = await NatsServer.start();
    nc = await connectClient(server.url);
    dir = mkdtempSync(join(tmpdir(), 'eds-worker-pair-'));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    await nc.close();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('share the work with nothing lost or duplicated', async () => {
    await createStream(nc, 'PAIR', ['pair.>']);
    const records = join(dir, 'pair.jsonl');
    const env = {
      NATS_URL: server.url,
      NATS_STREAM_NAME: 'PAIR',
      NATS_CONSUMER_GROUP: 'pair-workers',
      EDS_CONCURRENCY: '10',
      HANDLER_DELAY_MS: '5',
      RECORD_FILE: records,
    };
    const a = await WorkerProcess.start(fixture('record-handler.js'), env);
    const b = await WorkerProcess.start(fixture('record-handler.js'), env);
    workers.push(a, b);
    await Promise.all([a.waitReady(), b.waitReady()]);

    const ids = jobIds('pair', 1_000);
    await publishJobs(nc, 'pair.jobs', ids);
    await waitFor('1,000 processed', () => doneCounts(readRecords(records)).size === 1_000, 30_000);
    await waitFor('every ack to land', async () => {
      const info = await consumerInfo(nc, 'PAIR', 'pair-workers');
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });

    const done = readRecords(records).filter((r) => r.event === 'done');
    expect(done).toHaveLength(1_000);
    expect([...doneCounts(done).keys()].sort()).toEqual(ids);
    const byA = done.filter((r) => r.pid === a.pid).length;
    const byB = done.filter((r) => r.pid === b.pid).length;
    expect(byA + byB).toBe(1_000);
    expect(Math.min(byA, byB)).toBeGreaterThanOrEqual(100);
    const [ma, mb] = await Promise.all([a.metrics(), b.metrics()]);
    expect(ma.get('nats_messages_processed_total{status="success"}')).toBe(byA);
    expect(mb.get('nats_messages_processed_total{status="success"}')).toBe(byB);
    console.log(`two workers: ${byA} + ${byB} messages`);
  });
});
