import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, createStream } from './harness/jetstream.js';
import { NatsServer } from './harness/nats-server.js';
import { waitFor } from './harness/ports.js';
import {
  REPO_ROOT,
  WORKER_BIN,
  WorkerProcess,
  ensureBuilt,
  fixture,
} from './harness/worker-process.js';

function run(
  args: string[],
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [WORKER_BIN, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 10_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const base = { NATS_STREAM_NAME: 'JOBS', NATS_CONSUMER_GROUP: 'jobs-workers' };

describe('eds-worker command', () => {
  beforeAll(() => {
    ensureBuilt();
  });

  it('explains invalid settings without a stack trace and exits 2', () => {
    const r = run([fixture('record-handler.js')], {
      ...base,
      EDS_CONCURRENCY: 'ten',
      EDS_SHUTDOWN_TIMEOUT_MS: '60',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      [
        'eds-worker: invalid worker settings:',
        '  EDS_CONCURRENCY: "ten" is not a whole number; set it to a whole number from 1 to 1000, e.g. EDS_CONCURRENCY=5',
        '  EDS_SHUTDOWN_TIMEOUT_MS: 60 is out of range; set it to a whole number from 1000 to 3600000, e.g. EDS_SHUTDOWN_TIMEOUT_MS=25000',
        '',
      ].join('\n'),
    );
  });

  it('names a handler module that does not export a handler and exits 2', () => {
    const r = run([fixture('no-default-handler.js')], base);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no-default-handler.js must default-export the handler');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const log = JSON.parse(r.stdout.trim()) as Record<string, unknown>;
    expect(log).toMatchObject({
      level: 'fatal',
      event: 'handler_load_failed',
      service: 'jobs-workers',
    });
  });

  it('prints usage for --help and refuses a missing argument', () => {
    const help = run(['--help'], {});
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: eds-worker <handler-module>/);
    const none = run([], {});
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^eds-worker: expected exactly one handler module path/);
  });

  describe('with a server', () => {
    let server: NatsServer;
    let blocker: Server;
    beforeAll(async () => {
      server = await NatsServer.start();
      const nc = await connectClient(server.url);
      await createStream(nc, 'JOBS', ['jobs.>']);
      await nc.close();
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, resolve));
    });
    afterAll(async () => {
      blocker.close();
      await server.dispose();
    });

    it('reports a taken port and exits 1', () => {
      const address = blocker.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const r = run([fixture('record-handler.js')], {
        ...base,
        NATS_URL: server.url,
        PORT: String(port),
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        `eds-worker: cannot listen on port ${port} (PORT): EADDRINUSE; free it or set PORT to another port\n`,
      );
    });

    it('runs the module’s readiness checks on /ready, logs JSON, and exits 0 on SIGTERM', async () => {
      const worker = await WorkerProcess.start(fixture('checks-handler.js'), {
        ...base,
        NATS_URL: server.url,
        DATABASE_DOWN: '1',
      });
      try {
        await waitFor('bound', () => worker.events('worker_started').length === 1);
        const ready = await worker.get('/ready');
        expect(ready.status).toBe(503);
        expect(JSON.parse(ready.body)).toEqual({
          status: 'not ready',
          checks: {
            nats: { ok: true },
            consumer: { ok: true },
            shutdown: { ok: true },
            deadLetters: { ok: true },
            database: { ok: false, error: 'returned false' },
          },
        });
        const health = await worker.get('/health');
        expect([health.status, JSON.parse(health.body)]).toEqual([200, { status: 'healthy' }]);
        expect((await worker.get('/nope')).status).toBe(404);
        const [started] = worker.events('worker_started');
        expect(started).toMatchObject({
          level: 'info',
          service: 'jobs-workers',
          stream: 'JOBS',
          concurrency: 5,
        });
        expect(typeof started?.['timestamp']).toBe('string');
        worker.kill('SIGTERM');
        expect(await worker.exited).toEqual({ code: 0, signal: null });
      } finally {
        await worker.dispose();
      }
    });
  });
});
