import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, consumerInfo, createStream } from './harness/jetstream.js';
import { NatsServer } from './harness/nats-server.js';
import { waitFor } from './harness/ports.js';
import { REPO_ROOT, WorkerProcess, ensureBuilt } from './harness/worker-process.js';

/** The fields of examples/minimal-claim.yaml this example must match (read without a YAML library). */
function minimalClaim(): { image: string; stream: string; consumer: string } {
  const text = readFileSync(join(REPO_ROOT, 'examples/minimal-claim.yaml'), 'utf8');
  const field = (name: string): string => {
    const match = new RegExp(`^\\s+${name}: (\\S+)$`, 'm').exec(text);
    if (match?.[1] === undefined) throw new Error(`examples/minimal-claim.yaml has no ${name}`);
    return match[1];
  };
  return { image: field('image'), stream: field('stream'), consumer: field('consumer') };
}

describe('example simple-worker under eds-worker', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let dir: string;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    ensureBuilt();
    server = await NatsServer.start();
    nc = await connectClient(server.url);
    dir = mkdtempSync(join(tmpdir(), 'eds-example-int-'));
  });
  afterAll(async () => {
    await worker?.dispose();
    await nc.close();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('consumes SIMPLE_JOBS as simple-workers, as examples/minimal-claim.yaml deploys it', async () => {
    const claim = minimalClaim();
    expect(claim).toEqual({
      image: 'ghcr.io/org/simple-worker:v1.0.0',
      stream: 'SIMPLE_JOBS',
      consumer: 'simple-workers',
    });
    await createStream(nc, claim.stream, ['jobs.simple']);
    await createStream(nc, 'SIMPLE_JOBS_DEAD', [`dead-letter.${claim.stream}`]);
    // The platform passes the claim's spec.nats to the container like this.
    worker = await WorkerProcess.start(join(REPO_ROOT, 'examples/worker/handler.js'), {
      NATS_URL: server.url,
      NATS_STREAM_NAME: claim.stream,
      NATS_CONSUMER_GROUP: claim.consumer,
      RESULTS_DIR: dir,
    });
    await worker.waitReady();
    const js = jetstream(nc);
    await js.publish(
      'jobs.simple',
      JSON.stringify({ id: 'job-1', text: 'hello event driven world' }),
    );
    await js.publish('jobs.simple', JSON.stringify({ id: 'job-2' }));
    await js.publish('jobs.simple', JSON.stringify({ id: 'job-3', text: 'three words here' }));

    await waitFor('both good jobs', () => worker?.events('job_done').length === 2, 10_000);
    expect(JSON.parse(readFileSync(join(dir, 'job-1.json'), 'utf8'))).toEqual({
      id: 'job-1',
      seq: 1,
      words: 4,
      characters: 24,
    });
    expect(JSON.parse(readFileSync(join(dir, 'job-3.json'), 'utf8'))).toMatchObject({
      id: 'job-3',
      words: 3,
    });

    const jsm = await jetstreamManager(nc);
    await waitFor(
      'the bad job dead-lettered',
      async () => (await jsm.streams.info('SIMPLE_JOBS_DEAD')).state.messages === 1,
    );
    const dead = await jsm.streams.getMessage('SIMPLE_JOBS_DEAD', { seq: 1 });
    expect(dead?.header.get('Eds-Last-Error')).toBe(
      'PermanentError: job job-2 needs a string "text"',
    );
    expect(dead?.header.get('Eds-Deliveries')).toBe('1');
    const info = await consumerInfo(nc, 'SIMPLE_JOBS', 'simple-workers');
    expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);

    const ready = JSON.parse((await worker.get('/ready')).body) as {
      checks: Record<string, unknown>;
    };
    expect(ready.checks['results']).toEqual({ ok: true });
  });
});
