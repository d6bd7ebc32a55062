import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JsMsg } from '@nats-io/jetstream';
import { HandlerTimeoutError, resolveSettings, WorkerMetrics } from '@eds/worker';
import type { HandlerContext } from '@eds/worker';
import { runHandler } from '../src/handler-run.js';
import { InFlight } from '../src/in-flight.js';

const settings = resolveSettings({
  NATS_STREAM_NAME: 'JOBS',
  NATS_CONSUMER_GROUP: 'jobs-workers',
  EDS_HANDLER_TIMEOUT_MS: '1000',
});

function fakeMsg(): JsMsg & { progress: number } {
  const msg = {
    seq: 7,
    subject: 'jobs.x',
    data: new Uint8Array(),
    info: { deliveryCount: 1 },
    progress: 0,
    working() {
      msg.progress++;
    },
  };
  return msg as unknown as JsMsg & { progress: number };
}

async function metricValue(metrics: WorkerMetrics, name: string): Promise<number | undefined> {
  const json = await metrics.registry.getMetricsAsJSON();
  return json.find((m) => m.name === name)?.values[0]?.value;
}

describe('runHandler deadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const deps = () => ({
    settings,
    metrics: new WorkerMetrics({ defaultMetrics: false }),
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
  });

  it('fails a handler that never returns at the deadline and aborts its signal', async () => {
    const d = deps();
    const msg = fakeMsg();
    let ctx: HandlerContext | undefined;
    const outcome = runHandler(msg, new InFlight(1_000).add(msg), {
      ...d,
      handler: (_m, context) => {
        ctx = context;
        return new Promise(() => undefined);
      },
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(ctx?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toEqual({ failed: true, error: new HandlerTimeoutError(1_000) });
    expect(ctx?.signal.reason).toBeInstanceOf(HandlerTimeoutError);
    // Past the deadline an in-progress ack would only delay the retry.
    ctx?.working();
    expect(msg.progress).toBe(0);
    expect(await metricValue(d.metrics, 'nats_handler_timeouts_total')).toBe(1);
    expect(await metricValue(d.metrics, 'nats_handlers_overdue')).toBe(1);
  });

  it('leaves a handler that returns in time alone, and counts a late return', async () => {
    const d = deps();
    const msg = fakeMsg();
    const quick = await runHandler(msg, new InFlight(1_000).add(msg), {
      ...d,
      handler: () => undefined,
    });
    expect(quick).toEqual({ failed: false });
    let finish: () => void = () => undefined;
    const slow = runHandler(msg, new InFlight(1_000).add(msg), {
      ...d,
      handler: () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await slow).failed).toBe(true);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(await metricValue(d.metrics, 'nats_handlers_overdue')).toBe(0);
    expect(await metricValue(d.metrics, 'nats_handler_timeouts_total')).toBe(1);
  });
});
