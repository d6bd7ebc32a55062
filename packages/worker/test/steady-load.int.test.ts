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

describe('eds-worker under steady load, no faults', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let dir: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    server = await NatsServer.start();
    nc = await connectClient(server.url);
    dir = mkdtempSync(join(tmpdir(), 'eds-worker-steady-'));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    await nc.close();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('processes 1,000 messages exactly once and the metrics agree', async () => {
    await createStream(nc, 'STEADY', ['steady.>']);
    const records = join(dir, 'steady.jsonl');
    const worker = await WorkerProcess.start(fixture('record-handler.js'), {
      NATS_URL: server.url,
      NATS_STREAM_NAME: 'STEADY',
      NATS_CONSUMER_GROUP: 'steady-workers',
      EDS_CONCURRENCY: '20',
      RECORD_FILE: records,
    });
    workers.push(worker);
    await worker.waitReady();

    const ids = jobIds('steady', 1_000);
    await publishJobs(nc, 'steady.jobs', ids);
    await waitFor('1,000 processed', () => doneCounts(readRecords(records)).size === 1_000, 30_000);
    await waitFor('every ack to land', async () => {
      const info = await consumerInfo(nc, 'STEADY', 'steady-workers');
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });

    const counts = doneCounts(readRecords(records));
    expect([...counts.keys()].sort()).toEqual(ids);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    const metrics = await worker.metrics();
    expect(metrics.get('nats_messages_processed_total{status="success"}')).toBe(1_000);
    expect(metrics.get('nats_messages_processed_total{status="error"}')).toBe(0);
    expect(metrics.get('nats_message_processing_duration_seconds_count{status="success"}')).toBe(
      1_000,
    );
    expect(metrics.get('nats_messages_in_flight')).toBe(0);
    expect(metrics.get('nats_messages_dead_lettered_total')).toBe(0);
    expect(metrics.get('nats_messages_redelivered_total')).toBe(0);
    expect(metrics.has('process_cpu_user_seconds_total')).toBe(true);

    const info = await consumerInfo(nc, 'STEADY', 'steady-workers');
    expect(info.config).toMatchObject({
      ack_policy: 'explicit',
      max_deliver: 5,
      ack_wait: 30_000_000_000,
    });
    expect(worker.events('consumer_created')).toHaveLength(1);
  });
});
