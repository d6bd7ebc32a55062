import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { AckBatcher } from './ack-batcher.js';
import type { DeadLetterOrigin } from './dead-letter.js';
import { DeadLetterer } from './dead-letterer.js';
import { nakDelayMs, progressIntervalMs } from './delivery-terms.js';
import type { DeliveryTerms } from './delivery-terms.js';
import { describeError, isPermanent } from './errors.js';
import type { Handler } from './handler.js';
import { runHandler } from './handler-run.js';
import type { InFlight, InFlightEntry } from './in-flight.js';
import type { WorkerMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';
import type { WorkerSettings } from './settings.js';
import { NakGate, settle } from './settle.js';

export interface ProcessorDeps {
  readonly handler: Handler;
  readonly settings: WorkerSettings;
  readonly metrics: WorkerMetrics;
  readonly log: Logger;
  readonly inFlight: InFlight;
  /** Shared by every handler; aborted during shutdown. */
  readonly signal: AbortSignal;
  readonly js: JetStreamClient;
  /** Of the consumer bound at startup; `useTerms` replaces them after a rebind. */
  readonly terms: DeliveryTerms;
  readonly readiness: Readiness;
  /** The server's `max_payload`, once connected. */
  readonly maxPayload: () => number | undefined;
}

/**
 * Runs the handler for one message (with its deadline) and settles it: ack on success; on
 * failure nak with backoff, or on the bound consumer's last delivery (or for a permanent error)
 * dead-letter it, keeping it in progress until the dead letter is stored. `process` never rejects.
 */
export class Processor {
  readonly #deps: ProcessorDeps;
  readonly naks = new NakGate();
  readonly acks = new AckBatcher();
  readonly #deadLetters: DeadLetterer;
  #terms: DeliveryTerms;

  constructor(deps: ProcessorDeps) {
    this.#deps = deps;
    this.#deadLetters = new DeadLetterer({ ...deps, naks: this.naks });
    this.#terms = deps.terms;
    deps.inFlight.setIntervalMs(progressIntervalMs(deps.terms));
  }

  /** Follows the consumer as it is now (read again after a rebind). */
  useTerms(terms: DeliveryTerms): void {
    this.#terms = terms;
    this.#deps.inFlight.setIntervalMs(progressIntervalMs(terms));
  }

  get terms(): DeliveryTerms {
    return this.#terms;
  }

  /** `entry`: the message's in-progress entry, made when it arrived; deleted once settled. */
  async process(msg: JsMsg, entry: InFlightEntry): Promise<void> {
    const { metrics, inFlight } = this.#deps;
    const deliveries = msg.info.deliveryCount;
    metrics.started(deliveries > 1);
    const start = performance.now();
    const outcome = await runHandler(msg, entry, this.#deps);
    const failed = outcome.failed;
    const error = outcome.failed ? outcome.error : undefined;
    const seconds = (performance.now() - start) / 1_000;
    try {
      await this.#settle(msg, entry, failed, error, seconds);
    } finally {
      // Only now: until the message is settled (a dead letter may take retries) it gets progress acks.
      inFlight.delete(entry);
    }
  }

  async #settle(
    msg: JsMsg,
    entry: InFlightEntry,
    failed: boolean,
    error: unknown,
    seconds: number,
  ): Promise<void> {
    const { metrics, signal } = this.#deps;

    if (entry.abandoned) {
      metrics.finished('aborted', seconds);
      return;
    }
    if (!failed) {
      this.acks.ack(msg);
      metrics.finished('success', seconds);
      return;
    }
    if (signal.aborted) {
      metrics.finished('aborted', seconds);
      this.#deps.log.warn(
        { event: 'message_aborted', seq: msg.seq, subject: msg.subject, err: error },
        'handler stopped by shutdown; message handed back',
      );
      await this.naks.nak(() => {
        msg.nak();
      });
      return;
    }
    metrics.finished('error', seconds);
    await this.#failed(msg, error);
  }

  async #failed(msg: JsMsg, error: unknown): Promise<void> {
    const { settings, log } = this.#deps;
    const { maxDeliver } = this.#terms;
    const deliveries = msg.info.deliveryCount;
    const permanent = isPermanent(error);
    if (!permanent && deliveries < maxDeliver) {
      const delay = nakDelayMs(this.#terms, settings, deliveries);
      log.warn(
        {
          event: 'message_failed',
          seq: msg.seq,
          subject: msg.subject,
          deliveries,
          retryInMs: delay,
          err: error,
        },
        `handler failed (delivery ${deliveries} of ${maxDeliver}); retrying in ${delay} ms`,
      );
      await this.naks.nak(() => {
        msg.nak(delay);
      });
      return;
    }
    await this.#deadLetter(msg, error, permanent);
  }

  async #deadLetter(msg: JsMsg, error: unknown, permanent: boolean): Promise<void> {
    const { settings, log } = this.#deps;
    const origin: DeadLetterOrigin = {
      stream: settings.stream,
      consumer: settings.consumer,
      subject: msg.subject,
      sequence: msg.seq,
      deliveries: msg.info.deliveryCount,
      error: describeError(error),
      failedAt: new Date(),
    };
    const why = permanent ? 'permanent error' : `failed ${origin.deliveries} deliveries`;
    if (settings.deadLetterSubject === '') {
      log.error(
        { event: 'message_dropped', origin, err: error },
        `message ${origin.sequence} ${why}; dead-lettering is off (EDS_DEAD_LETTER_SUBJECT=""), terminating it`,
      );
      settle(() => {
        msg.term();
      });
      return;
    }
    await this.#deadLetters.deadLetter(msg, {
      origin,
      why,
      error,
      lastDelivery: origin.deliveries >= this.#terms.maxDeliver,
    });
  }
}
