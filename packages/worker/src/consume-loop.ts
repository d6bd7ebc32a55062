import type { Consumer, ConsumerMessages, ConsumerNotification, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { Processor } from './processor.js';
import type { Readiness } from './readiness.js';
import { Semaphore } from './semaphore.js';

/**
 * How long one pull request waits on the server. Shorter than nats.js's 30 s default so the
 * client notices a lost or recreated consumer within seconds (its idle heartbeat is half of this).
 */
export const PULL_EXPIRES_MS = 5_000;

export interface ConsumeLoopOptions {
  readonly concurrency: number;
  /**
   * A handler that started within this many ms of the loop waiting for a free slot sends an
   * in-progress ack first: the progress-ack interval, which follows the consumer's ack wait.
   */
  readonly touchWindowMs: () => number;
  readonly processor: Processor;
  readonly readiness: Readiness;
  readonly log: Logger;
  /** Called when the server says the consumer is gone, so the worker can recreate it. */
  readonly onConsumerMissing: () => void;
  /** Called when pulling failed for good (not after `stop()`): the worker cannot go on. */
  readonly onFailed: (err: unknown) => void;
}

/**
 * Pulls messages and runs at most `concurrency` handlers at once. nats.js only sends the next
 * pull request when this loop reads past the messages before it, so while every slot is busy
 * the worker holds at most `concurrency` buffered messages besides those in flight.
 */
export class ConsumeLoop {
  readonly #o: ConsumeLoopOptions;
  readonly #slots: Semaphore;
  #messages: ConsumerMessages | undefined;
  #stopping = false;
  /** A method, not the field, where an `await` may have changed it since the last check. */
  #isStopping(): boolean {
    return this.#stopping;
  }
  #running = 0;
  #idle: (() => void)[] = [];
  #lastBlockedAt = Number.NEGATIVE_INFINITY;
  /** Messages read after `stop()`: never started, to be handed back. */
  readonly released: JsMsg[] = [];
  #done: Promise<void> = Promise.resolve();

  constructor(options: ConsumeLoopOptions) {
    this.#o = options;
    this.#slots = new Semaphore(options.concurrency);
  }

  async start(consumer: Consumer): Promise<void> {
    if (this.#stopping) return;
    const messages = await consumer.consume({
      max_messages: this.#o.concurrency,
      expires: PULL_EXPIRES_MS,
    });
    this.#messages = messages;
    if (this.#isStopping()) messages.stop();
    this.#watch(messages);
    this.#done = this.#run(messages);
  }

  /** Resolves when the pull loop has ended (after `stop()`, or if the consumer failed for good). */
  get done(): Promise<void> {
    return this.#done;
  }

  async #run(messages: ConsumerMessages): Promise<void> {
    const { processor, touchWindowMs } = this.#o;
    try {
      for await (const msg of messages) {
        if (this.#stopping) {
          this.released.push(msg);
          continue;
        }
        if (!this.#slots.tryAcquire()) {
          const acquired = await this.#slots.acquire();
          this.#lastBlockedAt = performance.now();
          if (!acquired || this.#isStopping()) {
            if (acquired) this.#slots.release();
            this.released.push(msg);
            continue;
          }
        }
        const touch = performance.now() - this.#lastBlockedAt < touchWindowMs();
        this.#running++;
        void processor.process(msg, touch).finally(() => {
          this.#slots.release();
          this.#running--;
          if (this.#running === 0) this.#wakeIdle();
        });
      }
    } catch (err) {
      if (!this.#stopping) {
        this.#o.readiness.set('consumer', `pulling failed: ${String(err)}`);
        this.#o.onFailed(err);
      }
    }
  }

  #watch(messages: ConsumerMessages): void {
    const { readiness, log, onConsumerMissing } = this.#o;
    const note = (n: ConsumerNotification): void => {
      switch (n.type) {
        case 'next':
        case 'heartbeat':
          if (readiness.failure('consumer') !== undefined) {
            readiness.set('consumer', undefined);
            log.info({ event: 'consumer_bound' }, 'pulling from the consumer again');
          }
          return;
        case 'stream_not_found':
          readiness.set('consumer', `stream "${n.name}" not found`);
          log.error({ event: 'stream_not_found', stream: n.name }, `stream "${n.name}" not found`);
          return;
        case 'consumer_not_found':
        case 'consumer_deleted':
          readiness.set('consumer', 'consumer not found');
          log.error({ event: n.type }, 'the consumer is gone; recreating it');
          onConsumerMissing();
          return;
        case 'heartbeats_missed':
          // Not a readiness failure: a busy event loop also misses heartbeats, and nats.js
          // re-checks the consumer by itself (a missing one is reported above).
          log.warn({ event: 'heartbeats_missed', count: n.count }, 'no heartbeat from the server');
          return;
        case 'exceeded_limits':
          log.warn({ event: 'pull_limit', description: n.description }, n.description);
          return;
        default:
          return;
      }
    };
    void (async () => {
      for await (const n of messages.status()) note(n);
    })().catch((err: unknown) => {
      log.debug({ event: 'status_watch_ended', err }, 'consumer status stream ended');
    });
  }

  /**
   * Stops pulling. Messages already buffered are collected in `released`; handlers keep running.
   * Resolves when the pull loop has ended.
   */
  async stop(): Promise<void> {
    if (this.#stopping) return this.#done;
    this.#stopping = true;
    this.#slots.cancel();
    this.#messages?.stop();
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
