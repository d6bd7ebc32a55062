import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Consumer, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { startupRetryDelayMs } from './backoff.js';
import { bindConsumer } from './bind-consumer.js';
import { ConsumeLoop } from './consume-loop.js';
import { WorkerError, describeError } from './errors.js';
import type { Handler } from './handler.js';
import { InFlight } from './in-flight.js';
import type { WorkerMetrics } from './metrics.js';
import { Processor } from './processor.js';
import type { Readiness } from './readiness.js';
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

export interface RuntimeDeps {
  readonly handler: Handler;
  readonly settings: WorkerSettings;
  readonly metrics: WorkerMetrics;
  readonly readiness: Readiness;
  readonly log: Logger;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

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
 * The NATS side of a worker: connect (retrying forever), bind the consumer (retrying while the
 * stream is missing), run the consume loop, and drain on shutdown.
 */
export class WorkerRuntime {
  readonly #d: RuntimeDeps;
  /** Aborted when shutdown starts: ends startup retries. */
  readonly #stopping = new AbortController();
  /** Aborted at the shutdown plan's `abortAt`: `context.signal` of every handler. */
  readonly #handlers = new AbortController();
  readonly #inFlight: InFlight;
  #nc: NatsConnection | undefined;
  #jsm: JetStreamManager | undefined;
  #js: JetStreamClient | undefined;
  #loop: ConsumeLoop | undefined;
  #processor: Processor | undefined;
  #recreating = false;
  #shutdown: Promise<ShutdownResult> | undefined;
  #onFatal: (err: unknown) => void = () => undefined;

  /** A method, not the signal, where an `await` may have changed it since the last check. */
  #isStopping(): boolean {
    return this.#stopping.signal.aborted;
  }

  constructor(deps: RuntimeDeps) {
    this.#d = deps;
    this.#inFlight = new InFlight(Math.max(100, Math.floor(deps.settings.ackWaitMs / 3)));
  }

  /** Starts connecting in the background; `onFatal` hears about errors the worker cannot survive. */
  start(onFatal: (err: unknown) => void): void {
    this.#onFatal = onFatal;
    this.#run().catch((err: unknown) => {
      if (!this.#stopping.signal.aborted) onFatal(err);
    });
  }

  async #run(): Promise<void> {
    const { settings, log, readiness } = this.#d;
    const nc = await connect({
      servers: settings.natsUrl.split(','),
      name: `eds-worker ${settings.consumer}`,
      maxReconnectAttempts: -1,
      waitOnFirstConnect: true,
    });
    if (this.#isStopping()) {
      await nc.close();
      return;
    }
    this.#nc = nc;
    readiness.set('nats', undefined);
    log.info({ event: 'nats_connected', server: nc.getServer() }, `connected to ${nc.getServer()}`);
    this.#watchConnection(nc);

    this.#jsm = await jetstreamManager(nc);
    this.#js = jetstream(nc);
    const consumer = await this.#bindWithRetry();
    if (consumer === undefined || this.#isStopping()) return;

    const processor = new Processor({
      handler: this.#d.handler,
      settings,
      metrics: this.#d.metrics,
      log,
      inFlight: this.#inFlight,
      signal: this.#handlers.signal,
      js: this.#js,
    });
    this.#processor = processor;
    const loop = new ConsumeLoop({
      concurrency: settings.concurrency,
      touchWindowMs: settings.ackWaitMs / 3,
      processor,
      readiness,
      log,
      onConsumerMissing: () => {
        this.#recreateConsumer();
      },
    });
    this.#inFlight.start();
    this.#loop = loop;
    await loop.start(consumer);
    readiness.set('consumer', undefined);
    log.info(
      {
        event: 'worker_started',
        stream: settings.stream,
        consumer: settings.consumer,
        concurrency: settings.concurrency,
      },
      `consuming ${settings.stream}/${settings.consumer} with concurrency ${settings.concurrency}`,
    );
  }

  async #bindWithRetry(): Promise<Consumer | undefined> {
    const { settings, log, readiness } = this.#d;
    const jsm = this.#jsm;
    const js = this.#js;
    if (jsm === undefined || js === undefined)
      throw new WorkerError('EDS_BUG', 'bind before connect');
    for (let attempt = 0; !this.#stopping.signal.aborted; attempt++) {
      try {
        return await bindConsumer(jsm, js, settings, log);
      } catch (err) {
        const retryInMs = startupRetryDelayMs(attempt);
        readiness.set('consumer', describeError(err));
        log.error(
          { event: 'consumer_bind_failed', err, code: (err as { code?: unknown }).code, retryInMs },
          `cannot use ${settings.stream}/${settings.consumer}: ${describeError(err)}; retrying in ${retryInMs} ms`,
        );
        await sleep(retryInMs, this.#stopping.signal);
      }
    }
    return undefined;
  }

  /** The server lost the consumer while we were pulling: create it again (pulling resumes by itself). */
  #recreateConsumer(): void {
    if (this.#recreating || this.#stopping.signal.aborted) return;
    const jsm = this.#jsm;
    const js = this.#js;
    if (jsm === undefined || js === undefined) return;
    this.#recreating = true;
    bindConsumer(jsm, js, this.#d.settings, this.#d.log)
      .catch((err: unknown) => {
        this.#d.log.error({ event: 'consumer_recreate_failed', err }, describeError(err));
      })
      .finally(() => {
        this.#recreating = false;
      });
  }

  #watchConnection(nc: NatsConnection): void {
    const { readiness, log } = this.#d;
    void (async () => {
      for await (const s of nc.status()) {
        switch (s.type) {
          case 'disconnect':
            readiness.set('nats', 'disconnected');
            log.warn(
              { event: 'nats_disconnected', server: s.server },
              'disconnected from NATS; reconnecting',
            );
            break;
          case 'reconnect':
            readiness.set('nats', undefined);
            log.info({ event: 'nats_reconnected', server: s.server }, 'reconnected to NATS');
            break;
          case 'error':
            log.error({ event: 'nats_error', err: s.error }, 'NATS connection error');
            break;
          default:
            break;
        }
      }
    })();
    nc.closed()
      .then((err) => {
        readiness.set('nats', 'connection closed');
        if (!this.#stopping.signal.aborted) {
          this.#onFatal(err ?? new WorkerError('EDS_NATS_CLOSED', 'the NATS connection closed'));
        }
      })
      .catch((err: unknown) => {
        this.#onFatal(err);
      });
  }

  /** Graceful drain; idempotent. See `shutdownPlan` for the timeline. */
  shutdown(reason: string): Promise<ShutdownResult> {
    this.#shutdown ??= this.#drain(reason);
    return this.#shutdown;
  }

  async #drain(reason: string): Promise<ShutdownResult> {
    const { settings, log, readiness } = this.#d;
    const t0 = performance.now();
    const elapsed = (): number => performance.now() - t0;
    const plan = shutdownPlan(settings.shutdownTimeoutMs);
    readiness.set('shutdown', `shutting down (${reason})`);
    this.#stopping.abort();
    const loop = this.#loop;
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
      this.#handlers.abort(new WorkerError('EDS_SHUTDOWN', `worker is shutting down (${reason})`));
    });

    let abandoned = 0;
    let released = 0;
    if (loop !== undefined) {
      await loop.stop();
      // Hand messages back only after a short pause (see shutdownPlan.releaseAt).
      const quiet = after(plan.releaseAt - elapsed());
      this.#processor?.naks.close(quiet);
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
        abandoned = this.#inFlight.abandonAll();
        log.error(
          { event: 'shutdown_deadline', abandoned },
          `${abandoned} handler(s) still running at the deadline; their messages return after ack wait`,
        );
      }
    }
    for (const t of timers) clearTimeout(t);
    this.#inFlight.stop();
    this.#processor?.acks.flush();

    const nc = this.#nc;
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
}
