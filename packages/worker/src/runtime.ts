import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { startupRetryDelayMs } from './backoff.js';
import { bindConsumer } from './bind-consumer.js';
import type { BoundConsumer } from './bind-consumer.js';
import { ConsumeLoop } from './consume-loop.js';
import { WorkerError, describeError } from './errors.js';
import type { Handler } from './handler.js';
import { InFlight } from './in-flight.js';
import { parseNatsServers } from './nats-url.js';
import { redactCredentials } from './redact.js';
import { Throttle } from './throttle.js';
import type { WorkerMetrics } from './metrics.js';
import { Processor } from './processor.js';
import { sleep } from './settle.js';
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

/** Pause between first-connection attempts: nats.js's own `reconnectTimeWait` default, 2 s. */
export const CONNECT_RETRY_MS = 2_000;
/** At most one `nats_connect_failed` line per 30 s; the others are counted in the next one. */
export const CONNECT_LOG_INTERVAL_MS = 30_000;

/** nats.js says "connection refused"; the socket error it wraps says where. */
function describeConnectError(err: unknown): string {
  const text = describeError(err);
  const cause = err instanceof Error ? err.cause : undefined;
  return cause instanceof Error && !text.includes(cause.message)
    ? `${text} (${cause.message})`
    : text;
}

/**
 * The NATS side of a worker: connect (retrying forever), bind the consumer (retrying while the
 * stream is missing), run the consume loop, and drain on shutdown.
 */
export class WorkerRuntime {
  readonly #d: RuntimeDeps;
  /** The settings with NATS_URL's credentials hidden, for code that may print them. */
  readonly #printable: WorkerSettings;
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
    this.#printable = { ...deps.settings, natsUrl: redactCredentials(deps.settings.natsUrl) };
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
    const nc = await this.#connectWithRetry();
    if (nc === undefined) return;
    if (this.#isStopping()) {
      await nc.close();
      return;
    }
    this.#nc = nc;
    readiness.set('nats', undefined);
    const server = redactCredentials(nc.getServer());
    log.info({ event: 'nats_connected', server }, `connected to ${server}`);
    this.#watchConnection(nc);

    this.#js = jetstream(nc);
    const bound = await this.#bindWithRetry(nc);
    if (bound === undefined || this.#isStopping()) return;

    const processor = new Processor({
      handler: this.#d.handler,
      settings,
      metrics: this.#d.metrics,
      log,
      inFlight: this.#inFlight,
      signal: this.#handlers.signal,
      js: this.#js,
      terms: bound.terms,
      readiness,
      maxPayload: () => nc.info?.max_payload,
    });
    this.#processor = processor;
    const loop = new ConsumeLoop({
      concurrency: settings.concurrency,
      stream: settings.stream,
      processor,
      inFlight: this.#inFlight,
      metrics: this.#d.metrics,
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
    await loop.start(bound.consumer);
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

  /**
   * Connects, retrying every `CONNECT_RETRY_MS` until it works or shutdown starts. Each failure
   * goes to `/ready`; the log gets at most one line per `CONNECT_LOG_INTERVAL_MS`, with the
   * number of failures it left out. Once connected, nats.js reconnects by itself, forever.
   */
  async #connectWithRetry(): Promise<NatsConnection | undefined> {
    const { settings, log, readiness } = this.#d;
    const parsed = parseNatsServers(settings.natsUrl);
    // Settings were checked already; a failure here is a bug, so fail loudly.
    if (!parsed.ok) throw new WorkerError('EDS_BUG', `NATS_URL ${parsed.problem}`);
    const { servers, auth } = parsed.value;
    const shown = redactCredentials(settings.natsUrl);
    const throttle = new Throttle(CONNECT_LOG_INTERVAL_MS);
    for (let attempt = 1; !this.#isStopping(); attempt++) {
      try {
        const nc = await connect({
          servers: [...servers],
          ...auth,
          name: `eds-worker ${settings.consumer}`,
          maxReconnectAttempts: -1,
        });
        if (attempt > 1) {
          log.info(
            { event: 'nats_connect_recovered', attempts: attempt },
            `connected to NATS after ${attempt} attempts`,
          );
        }
        return nc;
      } catch (err) {
        const error = redactCredentials(describeConnectError(err));
        const retryInMs = CONNECT_RETRY_MS;
        readiness.set(
          'nats',
          `cannot connect to ${shown}: ${error}; retrying in ${retryInMs} ms (attempt ${attempt})`,
        );
        const suppressed = throttle.take();
        if (suppressed !== undefined) {
          const left = suppressed === 0 ? '' : ` (${suppressed} failed attempts not logged)`;
          log.error(
            { event: 'nats_connect_failed', url: shown, error, attempt, retryInMs, suppressed },
            `cannot connect to NATS at ${shown}: ${error}; retrying every ${retryInMs} ms${left}`,
          );
        }
        await sleep(retryInMs, this.#stopping.signal);
      }
    }
    return undefined;
  }

  /** Retries while JetStream, the stream or the consumer is not usable (it may be created later). */
  async #bindWithRetry(nc: NatsConnection): Promise<BoundConsumer | undefined> {
    const { settings, log, readiness } = this.#d;
    const js = this.#js;
    if (js === undefined) throw new WorkerError('EDS_BUG', 'bind before connect');
    for (let attempt = 0; !this.#stopping.signal.aborted; attempt++) {
      try {
        this.#jsm ??= await jetstreamManager(nc);
        return await bindConsumer(this.#jsm, js, this.#printable, log);
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
    bindConsumer(jsm, js, this.#printable, this.#d.log)
      .then(({ terms }) => {
        // The recreated consumer (or one someone else made meanwhile) is the truth from now on.
        this.#processor?.useTerms(terms);
      })
      .catch((err: unknown) => {
        this.#d.log.error({ event: 'consumer_recreate_failed', err }, describeError(err));
      })
      .finally(() => {
        this.#recreating = false;
      });
  }

  #watchConnection(nc: NatsConnection): void {
    const { log } = this.#d;
    // Without this loop the worker can no longer see disconnects (readiness, held acks), so a
    // failure is fatal: the pod restarts instead of running blind.
    this.#followStatus(nc).catch((err: unknown) => {
      if (this.#isStopping()) return;
      log.error(
        { event: 'nats_status_failed', err },
        `watching the NATS connection failed: ${describeError(err)}`,
      );
      this.#onFatal(err);
    });
    nc.closed()
      .then((err) => {
        this.#d.readiness.set('nats', 'connection closed');
        if (!this.#stopping.signal.aborted) {
          this.#onFatal(err ?? new WorkerError('EDS_NATS_CLOSED', 'the NATS connection closed'));
        }
      })
      .catch((err: unknown) => {
        this.#onFatal(err);
      });
  }

  /** Mirrors connection events into readiness, the ack batcher and the log. */
  async #followStatus(nc: NatsConnection): Promise<void> {
    const { readiness, log } = this.#d;
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
