/**
 * The NATS server `eds dev` runs when the user brings none: `nats-server` from PATH (or Debian's
 * /usr/sbin, which a normal user's PATH lacks), with JetStream, on free loopback ports, storing
 * in a temporary directory that is removed when it stops.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { UsageError } from '../errors.js';

export const INSTALL_HINT =
  'install it (Debian: apt-get install nats-server; elsewhere: https://docs.nats.io/running-a-nats-service/introduction/installation), or pass --nats URL --monitoring HOST:PORT for a server you have';

/** The nats-server program: PATH first, then /usr/sbin; undefined when neither has one. */
export function findNatsServer(
  path = process.env['PATH'] ?? '',
  fallbacks: readonly string[] = ['/usr/sbin'],
): string | undefined {
  for (const dir of [...path.split(delimiter).filter((d) => d !== ''), ...fallbacks]) {
    const file = join(dir, 'nats-server');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A port no one listens on now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

export interface LocalNats {
  readonly url: string;
  /** host:port of the monitoring endpoint. */
  readonly monitoring: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

export async function startLocalNats(): Promise<LocalNats> {
  const binary = findNatsServer();
  if (binary === undefined)
    throw new UsageError(
      'no-nats-server',
      `no nats-server on PATH or in /usr/sbin: ${INSTALL_HINT}`,
    );
  const [port, httpPort] = [await freePort(), await freePort()];
  const store = mkdtempSync(join(tmpdir(), 'eds-dev-nats-'));
  const args = ['-js', '-a', '127.0.0.1', '-p', `${port}`, '-m', `${httpPort}`, '-sd', store];
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2_000);
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(store, { recursive: true, force: true });
  };
  const monitoring = `127.0.0.1:${httpPort}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      const last = stderr.trim().split('\n').at(-1) ?? '';
      throw new UsageError(
        'nats-server-failed',
        `${binary} did not start: ${last || 'no answer on /healthz'}`,
      );
    }
    const ok = await fetch(`http://${monitoring}/healthz`, { signal: AbortSignal.timeout(500) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `nats://127.0.0.1:${port}`, monitoring, stop };
}
