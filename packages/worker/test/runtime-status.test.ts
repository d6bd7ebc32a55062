/**
 * The runtime's NATS status loop: a failure in it is handled (logged as `nats_status_failed` and
 * reported as fatal), never an unhandled rejection. NATS is faked; no network.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerMetrics } from '../src/metrics.js';
import { Readiness } from '../src/readiness.js';
import { WorkerRuntime } from '../src/runtime.js';
import { resolveSettings } from '../src/settings-parse.js';
import { captureLogger } from './harness/in-process.js';

const statusFailure = new Error('status iterator broke');

/** A connection whose status stream fails at once and which never closes by itself. */
function fakeConnection() {
  return {
    getServer: () => '127.0.0.1:4222',
    status: () => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(statusFailure) }),
    }),
    closed: () => new Promise(() => undefined),
    isClosed: () => false,
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

vi.mock('@nats-io/transport-node', () => ({ connect: () => Promise.resolve(fakeConnection()) }));
vi.mock('@nats-io/jetstream', () => ({
  jetstream: () => ({}),
  // Binding never finishes: the test is about the status loop alone.
  jetstreamManager: () => new Promise(() => undefined),
}));

describe('WorkerRuntime status loop', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('logs a failure of the status loop and reports it as fatal', async () => {
    const { log, lines } = captureLogger();
    const runtime = new WorkerRuntime({
      handler: () => Promise.resolve(),
      settings: resolveSettings({ NATS_STREAM_NAME: 'S', NATS_CONSUMER_GROUP: 'c' }),
      metrics: new WorkerMetrics({ defaultMetrics: false }),
      readiness: new Readiness(),
      log,
    });
    const fatal = new Promise<unknown>((resolve) => {
      runtime.start(resolve);
    });
    expect(await fatal).toBe(statusFailure);
    await new Promise((resolve) => setTimeout(resolve, 20)); // let any stray rejection surface
    expect(
      lines
        .filter((l) => l.event === 'nats_status_failed')
        .map((l) => ({ message: l.message, err: (l.err as { message?: unknown }).message })),
    ).toEqual([
      {
        message: 'watching the NATS connection failed: Error: status iterator broke',
        err: 'status iterator broke',
      },
    ]);
    expect(unhandled).toEqual([]);
    await runtime.shutdown('test');
  });
});
