import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { retryDelayMs } from './backoff.js';
import { deadLetterError, publishDeadLetter } from './dead-letter.js';
import type { DeadLetterError, DeadLetterOrigin } from './dead-letter.js';
import type { WorkerMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';
import type { WorkerSettings } from './settings.js';
import { settle, sleep } from './settle.js';
import type { NakGate } from './settle.js';

/** Shortest pause between two attempts to store the same dead letter. */
export const MIN_DEAD_LETTER_RETRY_MS = 100;

/** What failed and why it is being dead-lettered. */
export interface DeadLetterRequest {
  readonly origin: DeadLetterOrigin;
  /** For logs: "permanent error" or "failed N deliveries". */
  readonly why: string;
  /** The handler's error. */
  readonly error: unknown;
  /** This was the consumer's last delivery: a nak would strand the message. */
  readonly lastDelivery: boolean;
}

export interface DeadLettererDeps {
  readonly settings: WorkerSettings;
  readonly js: JetStreamClient;
  readonly log: Logger;
  readonly metrics: WorkerMetrics;
  readonly readiness: Readiness;
  /** Aborts when shutdown stops waiting: retrying ends. */
  readonly signal: AbortSignal;
  /** The server's `max_payload`, once connected. */
  readonly maxPayload: () => number | undefined;
  readonly naks: NakGate;
}

/**
 * Publishes a message to the dead-letter subject and terminates it, retrying until the copy is
 * stored. A message must not be nak'ed or left to time out on its last delivery: the server
 * would never deliver it again. So while the publish fails the caller keeps the message in
 * progress (its slot stays taken and progress acks go on), `/ready` reports `deadLetters`, and
 * `nats_dead_letter_failures_total{reason}` counts the attempts.
 */
export class DeadLetterer {
  readonly #d: DeadLettererDeps;
  /** Messages whose dead letter is not stored yet, by stream sequence, with the last failure. */
  readonly #pending = new Map<number, DeadLetterError>();

  constructor(deps: DeadLettererDeps) {
    this.#d = deps;
  }

  /**
   * Resolves once the message is dead-lettered and terminated, or, if shutdown stops the retries,
   * handed back (`lastDelivery` false) or left in its stream (`lastDelivery` true, logged as
   * `dead_letter_abandoned`). Never rejects.
   */
  async deadLetter(msg: JsMsg, request: DeadLetterRequest): Promise<void> {
    const { settings, js, log, metrics, signal } = this.#d;
    const { origin, why, error, lastDelivery } = request;
    const subject = settings.deadLetterSubject;
    for (let attempt = 1; ; attempt++) {
      try {
        await publishDeadLetter(js, subject, msg.data, origin, msg.headers, this.#d.maxPayload());
        break;
      } catch (e) {
        const err = deadLetterError(e, subject);
        metrics.deadLetterFailed(err.reason);
        this.#set(origin.sequence, err);
        if (signal.aborted) {
          await this.#giveUp(msg, origin, err, lastDelivery);
          return;
        }
        const retryInMs = Math.max(
          MIN_DEAD_LETTER_RETRY_MS,
          retryDelayMs(attempt, settings.retryBackoffMs, settings.retryBackoffMaxMs),
        );
        log.error(
          {
            event: 'dead_letter_failed',
            cause: err.reason,
            origin,
            deadLetterSubject: subject,
            attempt,
            retryInMs,
            err,
          },
          `message ${origin.sequence} ${why} but could not be stored on ${subject}: ${err.message}; ` +
            `keeping it in progress, retry in ${retryInMs} ms`,
        );
        await sleep(retryInMs, signal);
      }
    }
    this.#set(origin.sequence, undefined);
    // Plain term(): nats-server 2.9.10 ignores a term that carries a reason.
    settle(() => {
      msg.term();
    });
    metrics.deadLettered();
    log.error(
      { event: 'message_dead_lettered', origin, deadLetterSubject: subject, err: error },
      `message ${origin.sequence} ${why}; published to ${subject} and terminated`,
    );
  }

  async #giveUp(
    msg: JsMsg,
    origin: DeadLetterOrigin,
    err: DeadLetterError,
    lastDelivery: boolean,
  ): Promise<void> {
    const { settings, log } = this.#d;
    this.#set(origin.sequence, undefined);
    if (!lastDelivery) {
      log.error(
        { event: 'dead_letter_abandoned', cause: err.reason, origin, handedBack: true, err },
        `message ${origin.sequence} could not be dead-lettered before shutdown (${err.message}); ` +
          'handed back, another worker retries it',
      );
      await this.#d.naks.nak(() => {
        msg.nak();
      });
      return;
    }
    log.error(
      { event: 'dead_letter_abandoned', cause: err.reason, origin, handedBack: false, err },
      `message ${origin.sequence} had its last delivery and could not be dead-lettered before ` +
        `shutdown (${err.message}); it stays in stream ${settings.stream} at sequence ` +
        `${origin.sequence} and the server will not deliver it again`,
    );
  }

  #set(seq: number, failure: DeadLetterError | undefined): void {
    if (failure === undefined) this.#pending.delete(seq);
    else this.#pending.set(seq, failure);
    const last = [...this.#pending.values()].at(-1);
    this.#d.readiness.set(
      'deadLetters',
      last === undefined
        ? undefined
        : `${this.#pending.size} message(s) could not be stored on ${this.#d.settings.deadLetterSubject}: ${last.message}`,
    );
  }

  /** Messages whose dead letter is not stored yet. */
  get pending(): number {
    return this.#pending.size;
  }
}
