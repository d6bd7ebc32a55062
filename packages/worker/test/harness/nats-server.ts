import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './ports.js';

/** Debian installs it in /usr/sbin, which a normal user's PATH lacks. */
const BINARY =
  process.env['NATS_SERVER_BIN'] ??
  (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');

/**
 * A real nats-server with JetStream on loopback ports picked here, storing in a temp dir.
 * `restart()` brings it back on the same ports and storage.
 */
export class NatsServer {
  readonly port: number;
  readonly monitorPort: number;
  readonly storeDir: string;
  #proc: ChildProcess | undefined;
  #stderr = '';

  readonly #extraArgs: readonly string[];

  private constructor(
    port: number,
    monitorPort: number,
    storeDir: string,
    extraArgs: readonly string[],
  ) {
    this.port = port;
    this.monitorPort = monitorPort;
    this.storeDir = storeDir;
    this.#extraArgs = extraArgs;
  }

  /** `extraArgs` go to nats-server as they are, e.g. `['--user', 'u', '--pass', 'p']`. */
  static async start(extraArgs: readonly string[] = []): Promise<NatsServer> {
    const server = new NatsServer(
      await freePort(),
      await freePort(),
      mkdtempSync(join(tmpdir(), 'eds-worker-nats-')),
      extraArgs,
    );
    await server.#spawn();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async #spawn(): Promise<void> {
    this.#stderr = '';
    const args = [
      '-js',
      '-a',
      '127.0.0.1',
      '-p',
      String(this.port),
      '-m',
      String(this.monitorPort),
      '-sd',
      this.storeDir,
      ...this.#extraArgs,
    ];
    const proc = spawn(BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-4_000);
    });
    this.#proc = proc;
    await waitFor(
      `nats-server on port ${this.port} (${this.#stderr})`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`nats-server exited: ${this.#stderr}`);
        const res = await fetch(`http://127.0.0.1:${this.monitorPort}/healthz`);
        return res.ok;
      },
      10_000,
    );
  }

  /** Stops the server (keeping its storage). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = this.#proc;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) =>
      proc.once('exit', () => {
        resolve();
      }),
    );
    proc.kill(signal);
    await exited;
    this.#proc = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.#spawn();
  }

  /** Stops the server and deletes its storage. */
  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
