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
import { doneCounts, duplicates, readRecords } from './harness/records.js';
import { WorkerProcess, ensureBuilt, fixture } from './harness/worker-process.js';

describe('eds-worker killed with SIGKILL under load', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let dir: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    server = await NatsServer.start();
    nc = await connectClient(server.url);
    dir = mkdtempSync(join(tmpdir(), 'eds-worker-kill-'));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    await nc.close();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing: what the dead worker held is redelivered after ack wait', async () => {
    await createStream(nc, 'KILL', ['kill.>']);
    const records = join(dir, 'kill.jsonl');
    const concurrency = 8;
    const env = {
      NATS_URL: server.url,
      NATS_STREAM_NAME: 'KILL',
      NATS_CONSUMER_GROUP: 'kill-workers',
      EDS_CONCURRENCY: String(concurrency),
      EDS_ACK_WAIT_MS: '2000',
      HANDLER_DELAY_MS: '40',
      RECORD_FILE: records,
    };
    const first = await WorkerProcess.start(fixture('record-handler.js'), env);
    workers.push(first);
    await first.waitReady();

    const ids = jobIds('kill', 300);
    await publishJobs(nc, 'kill.jobs', ids);
    await waitFor('some work done', () => doneCounts(readRecords(records)).size >= 60, 15_000);
    first.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const second = await WorkerProcess.start(fixture('record-handler.js'), env);
    workers.push(second);
    await waitFor('all 300 processed', () => doneCounts(readRecords(records)).size === 300, 30_000);
    await waitFor('every ack to land', async () => {
      const info = await consumerInfo(nc, 'KILL', 'kill-workers');
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });

    const all = readRecords(records);
    expect([...doneCounts(all).keys()].sort()).toEqual(ids);
    // Only what the killed worker held (in flight plus its buffer) can run twice.
    const dups = duplicates(all);
    expect(dups.size).toBeLessThanOrEqual(2 * concurrency);
    const redelivered = (await second.metrics()).get('nats_messages_redelivered_total') ?? 0;
    expect(redelivered).toBeGreaterThan(0);
    console.log(
      `SIGKILL: ${dups.size} message(s) processed twice (${[...dups.keys()].join(', ') || 'none'}); ` +
        `${redelivered} redelivered to the second worker`,
    );
  });
});
