/**
 * Every log line reaches the collector: with the worker's stdout a pipe read slowly, no line is
 * lost, and the exit after SIGTERM does not wait for a backlog: writes keep pace with the reader.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, createStream } from './harness/jetstream.js';
import { NatsServer } from './harness/nats-server.js';
import { sleep, waitFor } from './harness/ports.js';
import { REPO_ROOT, WORKER_BIN, ensureBuilt, fixture } from './harness/worker-process.js';

describe('logging to a slowly read pipe', () => {
  let server: NatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    ensureBuilt();
    server = await NatsServer.start();
    nc = await connectClient(server.url);
    await createStream(nc, 'CHATTY', ['chatty.>']);
  });
  afterAll(async () => {
    await nc.close();
    await server.dispose();
  });

  it('loses no line and exits promptly after SIGTERM', async () => {
    // stdout is a FIFO this process reads, as the container runtime's is: a child's stdio pipe
    // would be drained at full speed by Node once the child exits.
    const fifo = join(mkdtempSync(join(tmpdir(), 'eds-slow-stdout-')), 'stdout');
    execFileSync('mkfifo', [fifo]);
    const readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeFd = openSync(fifo, 'w');
    const proc = spawn(process.execPath, [WORKER_BIN, fixture('chatty-handler.js')], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        PORT: '0',
        NATS_URL: server.url,
        NATS_STREAM_NAME: 'CHATTY',
        NATS_CONSUMER_GROUP: 'chatty-workers',
        CHATTY_MS: '1000',
      },
      stdio: ['ignore', writeFd, 'inherit'],
    });
    closeSync(writeFd);
    let exitedAt = 0;
    const exited = new Promise<number | null>((resolve) =>
      proc.once('exit', (code) => {
        exitedAt = Date.now();
        resolve(code);
      }),
    );

    // The slow reader: at most 4 KiB every 10 ms (about 400 KB/s), until end of file.
    const lines: Record<string, unknown>[] = [];
    const reader = (async () => {
      const chunk = Buffer.alloc(4096);
      let buffer = '';
      for (;;) {
        let n: number;
        try {
          n = readSync(readFd, chunk, 0, chunk.length, null);
        } catch (err) {
          if ((err as { code?: unknown }).code !== 'EAGAIN') throw err;
          n = -1;
        }
        if (n === 0) break; // every writer has closed: the worker is gone
        if (n > 0) {
          buffer += chunk.toString('utf8', 0, n);
          let nl;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl);
            try {
              lines.push(JSON.parse(line) as Record<string, unknown>);
            } catch {
              lines.push({ event: 'unparsable', line: line.slice(0, 200) });
            }
            buffer = buffer.slice(nl + 1);
          }
        }
        await sleep(10);
      }
      closeSync(readFd);
    })();
    const events = (name: string) => lines.filter((l) => l['event'] === name);

    await waitFor('http_listening', () => events('http_listening').length === 1, 10_000);
    const port = events('http_listening')[0]?.['port'] as number;
    await waitFor('ready', async () => (await fetch(`http://127.0.0.1:${port}/ready`)).ok, 15_000);

    await jetstream(nc).publish('chatty.a', '{}');
    await waitFor('the handler to start logging', () => events('chatty').length > 0, 10_000);
    const termAt = Date.now();
    proc.kill('SIGTERM');
    const timeout = sleep(60_000).then(() => 'timed out');
    const code = await Promise.race([exited, timeout]);
    if (code === 'timed out') proc.kill('SIGKILL');
    await reader;

    expect(code).toBe(0);
    expect(events('unparsable')).toEqual([]);
    const logged = events('chatty_done')[0]?.['lines'] as number;
    expect(logged).toBeGreaterThan(0);
    expect(events('chatty').map((l) => l['n'])).toEqual([...Array(logged).keys()]);
    expect(events('shutdown_complete')).toHaveLength(1);
    // Writes keep pace with the reader, so nothing piles up: the exit follows the drain (the
    // handler's last second), not the reader's backlog.
    expect(exitedAt - termAt).toBeLessThan(5_000);
  });
});
