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

describe('eds-worker on SIGTERM under load', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let dir: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    server = await NatsServer.start();
    nc = await connectClient(server.url);
    dir = mkdtempSync(join(tmpdir(), 'eds-worker-term-'));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    await nc.close();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns unready at once, finishes in-flight work, hands back the buffer and exits 0', async () => {
    await createStream(nc, 'TERM', ['term.>']);
    const records = join(dir, 'term.jsonl');
    const env = {
      NATS_URL: server.url,
      NATS_STREAM_NAME: 'TERM',
      NATS_CONSUMER_GROUP: 'term-workers',
      EDS_CONCURRENCY: '4',
      HANDLER_DELAY_MS: '400',
      // Long enough that a message neither acked nor handed back would miss the test's deadline.
      EDS_ACK_WAIT_MS: '30000',
      EDS_SHUTDOWN_TIMEOUT_MS: '8000',
      RECORD_FILE: records,
    };
    const first = await WorkerProcess.start(fixture('record-handler.js'), env);
    workers.push(first);
    await first.waitReady();

    const ids = jobIds('term', 100);
    await publishJobs(nc, 'term.jobs', ids);
    await waitFor('some work done', () => doneCounts(readRecords(records)).size >= 12, 15_000);

    const signalledAt = Date.now();
    first.kill('SIGTERM');
    await waitFor('/ready to turn 503', async () => (await first.readyStatus()) === 503, 1_000, 10);
    const unreadyAfterMs = Date.now() - signalledAt;
    const exit = await first.exited;
    const exitAfterMs = Date.now() - signalledAt;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(unreadyAfterMs).toBeLessThan(500);
    expect(exitAfterMs).toBeLessThan(8_000);

    // Every message the first worker started, it finished.
    const byFirst = readRecords(records).filter((r) => r.pid === first.pid);
    const started = new Set(byFirst.filter((r) => r.event === 'start').map((r) => r.id));
    const finished = new Set(byFirst.filter((r) => r.event === 'done').map((r) => r.id));
    expect(finished).toEqual(started);

    const [summary] = first.events('shutdown_complete');
    expect(summary).toMatchObject({ clean: true, abandoned: 0, reason: 'SIGTERM' });
    console.log(
      `SIGTERM: unready after ${unreadyAfterMs} ms, exit after ${exitAfterMs} ms, ` +
        `${finished.size} finished by the first worker, ${String(summary?.['released'])} buffered handed back`,
    );

    // A second worker finishes the rest well inside ack wait: nothing was left stranded.
    const second = await WorkerProcess.start(fixture('record-handler.js'), env);
    workers.push(second);
    await waitFor('all 100 processed', () => doneCounts(readRecords(records)).size === 100, 20_000);
    await waitFor('every ack to land', async () => {
      const info = await consumerInfo(nc, 'TERM', 'term-workers');
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
    expect([...doneCounts(readRecords(records)).keys()].sort()).toEqual(ids);
    expect(duplicates(readRecords(records))).toEqual(new Map());
  });
});
