import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './ports.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const WORKER_BIN = fileURLToPath(new URL('../../bin/eds-worker.js', import.meta.url));
export const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

let built = false;
/** Compiles the worker to dist once per test process, so child processes run current code. */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-b', 'packages/worker/tsconfig.build.json'],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    },
  );
  built = true;
}

export interface LogLine {
  readonly level: string;
  readonly event?: string;
  readonly message?: string;
  readonly [key: string]: unknown;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * The built `eds-worker` runner as a child process, with PORT=0; its port is read from the
 * `http_listening` log line.
 */
export class WorkerProcess {
  readonly logs: LogLine[] = [];
  stderr = '';
  readonly exited: Promise<ExitStatus>;
  readonly #proc: ChildProcess;
  #port: number | undefined;

  private constructor(proc: ChildProcess) {
    this.#proc = proc;
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        resolve({ code, signal });
      });
    });
    let buffer = '';
    proc.stdout?.setEncoding('utf8');
    proc.stdout?.on('data', (chunk: string) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const parsed = JSON.parse(line) as LogLine;
          this.logs.push(parsed);
          if (parsed.event === 'http_listening') this.#port = parsed['port'] as number;
        } catch {
          this.logs.push({ level: 'raw', message: line });
        }
      }
    });
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
  }

  static async start(handler: string, env: Record<string, string>): Promise<WorkerProcess> {
    const proc = spawn(process.execPath, [WORKER_BIN, handler], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new WorkerProcess(proc);
    await waitFor(
      'the worker to listen',
      () => {
        if (proc.exitCode !== null) throw new Error(`worker exited: ${worker.stderr}`);
        return worker.#port !== undefined;
      },
      10_000,
    );
    return worker;
  }

  get pid(): number {
    return this.#proc.pid ?? -1;
  }

  get port(): number {
    if (this.#port === undefined) throw new Error('worker has not reported its port');
    return this.#port;
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const res = await fetch(`http://127.0.0.1:${this.port}${path}`);
    return { status: res.status, body: await res.text() };
  }

  async readyStatus(): Promise<number> {
    return (await this.get('/ready')).status;
  }

  async waitReady(timeoutMs = 15_000): Promise<void> {
    await waitFor(
      'the worker to be ready',
      async () => (await this.readyStatus()) === 200,
      timeoutMs,
    );
  }

  /** Scrapes /metrics into `name{labels}` → value. */
  async metrics(): Promise<Map<string, number>> {
    const { body } = await this.get('/metrics');
    return parseMetrics(body);
  }

  kill(signal: NodeJS.Signals): void {
    this.#proc.kill(signal);
  }

  /** Makes sure the process is gone (test cleanup). */
  async dispose(): Promise<void> {
    if (this.#proc.exitCode === null && this.#proc.signalCode === null) this.#proc.kill('SIGKILL');
    await this.exited;
  }

  events(name: string): LogLine[] {
    return this.logs.filter((l) => l.event === name);
  }
}

export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}
