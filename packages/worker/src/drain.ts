import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { ConsumeLoop } from './consume-loop.js';
import { WorkerError } from './errors.js';
import type { InFlight } from './in-flight.js';
import type { Processor } from './processor.js';
import type { WorkerSettings } from './settings.js';
import { shutdownPlan } from './shutdown-plan.js';

/** How a worker ended. */
export interface ShutdownResult {
  /** True when every started handler finished and the connection closed in time. */
  readonly clean: boolean;
  readonly reason: string;
  /** Handlers still running at the deadline; their messages return after ack wait. */
  readonly abandoned: number;
  /** Buffered messages handed back unstarted. */
  readonly released: number;
  readonly durationMs: number;
}

export interface DrainContext {
  readonly reason: string;
  readonly settings: WorkerSettings;
  readonly log: Logger;
  /** Undefined when shutdown came before the worker started pulling. */
  readonly loop: ConsumeLoop | undefined;
  readonly processor: Processor | undefined;
  readonly inFlight: InFlight;
  /** Fires `context.signal` of every running handler. */
  readonly abortHandlers: (reason: Error) => void;
  readonly nc: NatsConnection | undefined;
}

/** Resolves or rejects like `promise`, or resolves after `ms`, whichever is first. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Graceful drain on the `shutdownPlan` timeline: stop pulling, let handlers finish, hand back
 * buffered messages, abort and finally abandon what still runs, flush acks and close.
 */
export async function drain(ctx: DrainContext): Promise<ShutdownResult> {
  const { reason, settings, log, loop, processor, inFlight, nc } = ctx;
  const t0 = performance.now();
  const elapsed = (): number => performance.now() - t0;
  const plan = shutdownPlan(settings.shutdownTimeoutMs);
  log.info(
    {
      event: 'shutdown_started',
      reason,
      inFlight: loop?.running ?? 0,
      timeoutMs: settings.shutdownTimeoutMs,
    },
    `shutting down (${reason}); draining in-flight messages`,
  );

  const timers: NodeJS.Timeout[] = [];
  const after = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      timers.push(setTimeout(resolve, Math.max(0, ms)));
    });
  void after(plan.abortAt - elapsed()).then(() => {
    if (loop === undefined || loop.running === 0) return;
    log.warn(
      { event: 'shutdown_abort', inFlight: loop.running },
      'aborting handlers still running',
    );
    ctx.abortHandlers(new WorkerError('EDS_SHUTDOWN', `worker is shutting down (${reason})`));
  });

  let abandoned = 0;
  let released = 0;
  if (loop !== undefined) {
    await loop.stop();
    // Hand messages back only after a short pause (see shutdownPlan.releaseAt).
    const quiet = after(plan.releaseAt - elapsed());
    processor?.naks.close(quiet);
    const release = quiet.then(() => {
      for (const msg of loop.released) {
        try {
          msg.nak();
        } catch {
          // Closed: the message returns after ack wait instead.
        }
      }
      released = loop.released.length;
    });
    const giveUp = after(plan.giveUpAt - elapsed()).then(() => 'timeout' as const);
    // Nothing buffered: no need to wait for the release pause (naks of running handlers
    // still wait for it inside whenIdle).
    const releaseDone = loop.released.length > 0 ? release : Promise.resolve();
    const drained = Promise.all([loop.whenIdle(), releaseDone]).then(() => 'drained' as const);
    if ((await Promise.race([drained, giveUp])) === 'timeout') {
      abandoned = inFlight.abandonAll();
      log.error(
        { event: 'shutdown_deadline', abandoned },
        `${abandoned} handler(s) still running at the deadline; their messages return after ack wait`,
      );
    }
  }
  for (const t of timers) clearTimeout(t);
  inFlight.stop();
  processor?.acks.flush();

  if (nc !== undefined && !nc.isClosed()) {
    const budget = Math.max(100, settings.shutdownTimeoutMs - elapsed() - 100);
    // Acks are fire-and-forget; flush so the last ones reach the server before closing.
    await withTimeout(nc.flush(), budget).catch(() => undefined);
    await nc.close().catch(() => undefined);
  }
  const result: ShutdownResult = {
    clean: abandoned === 0,
    reason,
    abandoned,
    released,
    durationMs: Math.round(elapsed()),
  };
  log.info({ event: 'shutdown_complete', ...result }, `shut down in ${result.durationMs} ms`);
  return result;
}
