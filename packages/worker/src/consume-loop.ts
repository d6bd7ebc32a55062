import { JetStreamApiCodes, JetStreamError } from '@nats-io/jetstream';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { isApiError } from './bind-consumer.js';
import { describeError } from './errors.js';
import type { InFlight, InFlightEntry } from './in-flight.js';
import type { WorkerMetrics } from './metrics.js';
import type { Processor } from './processor.js';
import { PullWindow } from './pull-window.js';
import type { Readiness } from './readiness.js';

/**
 * How long one pull request waits on the server. Shorter than nats.js's 30 s default so the
 * client notices a lost or recreated consumer within seconds (its idle heartbeat is half of this).
 */
export const PULL_EXPIRES_MS = 5_000;
/** Pull requests open at once, at most: what one pod adds to the consumer's `max_waiting`. */
export const MAX_OPEN_PULLS = 4;
/** Wait before pulling again after a pull failed (a deleted consumer, a server limit). */
export const PULL_RETRY_MS = 1_000;

export interface ConsumeLoopOptions {
  readonly concurrency: number;
  /** The stream's name, for messages. */
  readonly stream: string;
  readonly processor: Processor;
  /** Keeps every message the loop holds, waiting or running, in progress. */
  readonly inFlight: InFlight;
  readonly metrics: WorkerMetrics;
  readonly readiness: Readiness;
  readonly log: Logger;
  /** Called when the server says the consumer is gone, so the worker can recreate it. */
  readonly onConsumerMissing: () => void;
  /** Called when pulling failed for good (not after `stop()`): the worker cannot go on. */
  readonly onFailed: (err: unknown) => void;
}

interface Held {
  readonly msg: JsMsg;
  readonly entry: InFlightEntry;
}

/**
 * Pulls messages with fetch requests sized by a `PullWindow` and runs at most `concurrency`
 * handlers at once; the rest wait in arrival order. Each request asks for what the window has
 * room for, so the worker never holds or asks for more than `concurrency` plus the lookahead.
 * A request is never abandoned while running (only at `stop()`), so resizing the window loses
 * nothing: messages the server sent for it all arrive.
 */
export class ConsumeLoop {
  readonly #o: ConsumeLoopOptions;
  #consumer: Consumer | undefined;
  #window: PullWindow;
  readonly #waiting: Held[] = [];
  readonly #open = new Set<ConsumerMessages>();
  /** Pull requests started and not yet ended (including those still being set up). */
  #pulls = 0;
  /** Messages asked for by open requests and not yet received. */
  #requested = 0;
  #running = 0;
  #stopping = false;
  #retry: NodeJS.Timeout | undefined;
  #idle: (() => void)[] = [];
  /** Messages received that were not started when `stop()` came: to be handed back. */
  readonly released: JsMsg[] = [];
  #ended: () => void = () => undefined;
  #done: Promise<void> = Promise.resolve();

  constructor(options: ConsumeLoopOptions) {
    this.#o = options;
    this.#window = new PullWindow(options.concurrency);
  }

  async start(consumer: Consumer): Promise<void> {
    if (this.#stopping) return;
    this.#consumer = consumer;
    const info = await consumer.info(true);
    this.#window = new PullWindow(this.#o.concurrency, { maxBatch: info.config.max_batch ?? 0 });
    this.#done = new Promise((resolve) => {
      this.#ended = resolve;
    });
    this.#refill();
  }

  /** Resolves when no pull request is open any more (after `stop()`, or if pulling failed for good). */
  get done(): Promise<void> {
    return this.#done;
  }

  /** Messages waiting for a handler slot. */
  get buffered(): number {
    return this.#waiting.length;
  }

  /** Sends pull requests while the window has room for one worth its round trip. */
  #refill(): void {
    const consumer = this.#consumer;
    if (consumer === undefined || this.#stopping || this.#retry !== undefined) return;
    const window = this.#window;
    const threshold = Math.min(window.refillAt, window.maxBatch);
    while (this.#pulls < MAX_OPEN_PULLS) {
      const room = window.size - this.#running - this.#waiting.length - this.#requested;
      if (room < threshold) return;
      void this.#pull(consumer, Math.min(room, window.maxBatch));
    }
  }

  async #pull(consumer: Consumer, batch: number): Promise<void> {
    this.#pulls++;
    this.#requested += batch;
    let received = 0;
    let messages: ConsumerMessages | undefined;
    try {
      messages = await consumer.fetch({ max_messages: batch, expires: PULL_EXPIRES_MS });
      this.#open.add(messages);
      if (this.#stopping) messages.stop();
      for await (const msg of messages) {
        received++;
        this.#requested--;
        this.#arrived(msg);
      }
      // The server answered (messages, or the request expired): the consumer is there.
      this.#bound();
    } catch (err) {
      await this.#pullFailed(consumer, err);
    } finally {
      this.#requested -= batch - received;
      if (messages !== undefined) this.#open.delete(messages);
      this.#pulls--;
      if (this.#stopping) {
        if (this.#pulls === 0) this.#ended();
      } else {
        this.#refill();
      }
    }
  }

  #arrived(msg: JsMsg): void {
    if (this.#stopping) {
      this.released.push(msg);
      return;
    }
    const held = { msg, entry: this.#o.inFlight.add(msg) };
    if (this.#running < this.#o.concurrency) {
      this.#run(held);
    } else {
      this.#waiting.push(held);
      this.#o.metrics.buffered(this.#waiting.length);
    }
  }

  #run(held: Held): void {
    this.#running++;
    const start = performance.now();
    void this.#o.processor.process(held.msg, held.entry).finally(() => {
      this.#running--;
      this.#window.observe(performance.now() - start, held.msg.data.length);
      const next = this.#waiting.shift();
      if (next !== undefined) {
        this.#o.metrics.buffered(this.#waiting.length);
        this.#run(next);
      } else if (this.#running === 0) {
        this.#wakeIdle();
      }
      this.#refill();
    });
  }

  #bound(): void {
    const { readiness, log } = this.#o;
    if (readiness.failure('consumer') === undefined) return;
    readiness.set('consumer', undefined);
    log.info({ event: 'consumer_bound' }, 'pulling from the consumer again');
  }

  /** Sets the consumer's readiness failure; logs it only when it changes (open requests fail together). */
  #unready(failure: string, log: () => void): void {
    if (this.#o.readiness.failure('consumer') === failure) return;
    this.#o.readiness.set('consumer', failure);
    log();
  }

  async #pullFailed(consumer: Consumer, err: unknown): Promise<void> {
    if (this.#stopping) return;
    const { log, onConsumerMissing } = this.#o;
    const code = (err as { code?: unknown }).code;
    const description = err instanceof Error ? err.message.toLowerCase() : '';
    if (code === 409 && description === 'consumer deleted') {
      this.#missing(onConsumerMissing);
    } else if (code === 409 && description === 'stream deleted') {
      const { stream } = this.#o;
      this.#unready(`stream "${stream}" not found`, () => {
        log.error({ event: 'stream_not_found', stream }, `stream "${stream}" was deleted`);
      });
    } else if (code === 409 && description.startsWith('exceeded')) {
      log.warn({ event: 'pull_limit', description }, `the server refused a pull: ${description}`);
    } else if (err instanceof JetStreamError && description === 'heartbeats missed') {
      // Not a readiness failure by itself: a busy event loop misses heartbeats too. Ask the
      // server whether the consumer is still there.
      try {
        await consumer.info();
        log.warn({ event: 'heartbeats_missed' }, 'no heartbeat from the server; pulling again');
      } catch (infoErr) {
        if (isApiError(infoErr, JetStreamApiCodes.ConsumerNotFound)) {
          this.#missing(onConsumerMissing);
        } else if (isApiError(infoErr, JetStreamApiCodes.StreamNotFound)) {
          const { stream } = this.#o;
          this.#unready(`stream "${stream}" not found`, () => {
            log.error({ event: 'stream_not_found', stream }, `stream "${stream}" not found`);
          });
        } else {
          log.warn(
            { event: 'consumer_check_failed', err: infoErr },
            `cannot check the consumer: ${describeError(infoErr)}`,
          );
        }
      }
    } else if (code === 503 || (err as { name?: unknown }).name === 'ClosedConnectionError') {
      // No JetStream behind the connection right now, or the connection closed (the worker
      // sees that itself): try again after a pause.
      log.warn({ event: 'pull_failed', err }, `pulling failed: ${describeError(err)}`);
    } else {
      this.#o.readiness.set('consumer', `pulling failed: ${describeError(err)}`);
      this.#stopPulling();
      this.#o.onFailed(err);
      return;
    }
    this.#retryLater();
  }

  #missing(onConsumerMissing: () => void): void {
    this.#unready('consumer not found', () => {
      this.#o.log.error({ event: 'consumer_deleted' }, 'the consumer is gone; recreating it');
    });
    onConsumerMissing();
  }

  #retryLater(): void {
    if (this.#retry !== undefined || this.#stopping) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#refill();
    }, PULL_RETRY_MS);
    this.#retry.unref();
  }

  /** Ends every open request; messages still arriving for them are released. */
  #stopPulling(): void {
    this.#stopping = true;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    for (const messages of this.#open) messages.stop();
    if (this.#pulls === 0) this.#ended();
  }

  /**
   * Stops pulling. Messages waiting for a slot are moved to `released`; handlers keep running.
   * Resolves when every pull request has ended.
   */
  async stop(): Promise<void> {
    if (!this.#stopping) this.#stopPulling();
    for (const held of this.#waiting.splice(0)) {
      this.#o.inFlight.delete(held.entry);
      this.released.push(held.msg);
    }
    this.#o.metrics.buffered(0);
    return this.#done;
  }

  /** Resolves when no handler (including its ack/dead-letter step) is running. */
  whenIdle(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  get running(): number {
    return this.#running;
  }

  #wakeIdle(): void {
    const waiters = this.#idle;
    this.#idle = [];
    for (const resolve of waiters) resolve();
  }
}
