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
import { drain } from './drain.js';
import type { ShutdownResult } from './drain.js';

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

    this.#js = jetstream(nc);
    const consumer = await this.#bindWithRetry(nc);
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
      onFailed: (err) => {
        this.#onFatal(err);
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

  /** Retries while JetStream, the stream or the consumer is not usable (it may be created later). */
  async #bindWithRetry(nc: NatsConnection): Promise<Consumer | undefined> {
    const { settings, log, readiness } = this.#d;
    const js = this.#js;
    if (js === undefined) throw new WorkerError('EDS_BUG', 'bind before connect');
    for (let attempt = 0; !this.#stopping.signal.aborted; attempt++) {
      try {
        this.#jsm ??= await jetstreamManager(nc);
        return await bindConsumer(this.#jsm, js, settings, log);
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
            this.#processor?.acks.pause();
            readiness.set('nats', 'disconnected');
            log.warn(
              { event: 'nats_disconnected', server: s.server },
              'disconnected from NATS; reconnecting',
            );
            break;
          case 'reconnect':
            this.#processor?.acks.resume();
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
    this.#shutdown ??= (async () => {
      this.#d.readiness.set('shutdown', `shutting down (${reason})`);
      this.#stopping.abort();
      return drain({
        reason,
        settings: this.#d.settings,
        log: this.#d.log,
        loop: this.#loop,
        processor: this.#processor,
        inFlight: this.#inFlight,
        abortHandlers: (why) => {
          this.#handlers.abort(why);
        },
        nc: this.#nc,
      });
    })();
    return this.#shutdown;
  }
}
