import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { runWorker } from '@eds/worker';
import type { Handler, Worker, WorkerOptions } from '@eds/worker';

export interface CapturedLog {
  readonly event?: string;
  readonly message?: string;
  readonly [key: string]: unknown;
}

/** A pino logger whose JSON lines land in `lines`. */
export function captureLogger(): { log: Logger; lines: CapturedLog[] } {
  const lines: CapturedLog[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as CapturedLog);
      }
      done();
    },
  });
  return { log: pino({ level: 'debug', messageKey: 'message' }, sink), lines };
}

export interface InProcessWorker {
  readonly worker: Worker;
  readonly lines: CapturedLog[];
  ready(): Promise<{ status: number; body: Record<string, unknown> }>;
  events(name: string): CapturedLog[];
}

/** `runWorker` in this process: no signal handlers, loopback, a free port, captured logs. */
export async function startInProcess(
  handler: Handler,
  env: Record<string, string>,
  options: Omit<WorkerOptions, 'env' | 'logger'> = {},
): Promise<InProcessWorker> {
  const { log, lines } = captureLogger();
  const worker = await runWorker(handler, {
    handleSignals: false,
    host: '127.0.0.1',
    defaultMetrics: false,
    ...options,
    env: { PORT: '0', ...env },
    logger: log,
  });
  return {
    worker,
    lines,
    async ready() {
      const res = await fetch(`http://127.0.0.1:${worker.port}/ready`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    events: (name) => lines.filter((l) => l.event === name),
  };
}

/** One sample of the worker's /metrics, by its full name with labels. */
export async function metric(w: InProcessWorker, name: string): Promise<number | undefined> {
  const body = await (await fetch(`http://127.0.0.1:${w.worker.port}/metrics`)).text();
  const line = body.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}
