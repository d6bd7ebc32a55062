import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { AckBatcher } from './ack-batcher.js';
import { retryDelayMs } from './backoff.js';
import { publishDeadLetter } from './dead-letter.js';
import type { DeadLetterOrigin } from './dead-letter.js';
import { describeError, isPermanent } from './errors.js';
import type { Handler, HandlerContext } from './handler.js';
import type { InFlight, InFlightEntry } from './in-flight.js';
import { wrapMessage } from './message.js';
import type { WorkerMetrics } from './metrics.js';
import type { WorkerSettings } from './settings.js';

export interface ProcessorDeps {
  readonly handler: Handler;
  readonly settings: WorkerSettings;
  readonly metrics: WorkerMetrics;
  readonly log: Logger;
  readonly inFlight: InFlight;
  /** Shared by every handler; aborted during shutdown. */
  readonly signal: AbortSignal;
  readonly js: JetStreamClient;
}

/** Sends an ack/nak/term, ignoring a closed connection (the server redelivers after ack wait). */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // Connection closed: nothing can be sent; the message comes back after ack wait.
  }
}

/**
 * Naks wait for this gate while shutting down: a message nak'ed right after the pull stopped
 * can be delivered to the stopped pull request by nats-server 2.9 (see `shutdownPlan`).
 */
export class NakGate {
  #gate: Promise<void> | undefined;
  close(until: Promise<void>): void {
    this.#gate = until;
  }
  /** Runs `nak` now, or once the gate opens. */
  async nak(nak: () => void): Promise<void> {
    if (this.#gate !== undefined) await this.#gate;
    settle(nak);
  }
}

class Context implements HandlerContext {
  readonly #msg: JsMsg;
  readonly #entry: InFlightEntry;
  readonly #deps: ProcessorDeps;
  #log: Logger | undefined;
  constructor(msg: JsMsg, entry: InFlightEntry, deps: ProcessorDeps) {
    this.#msg = msg;
    this.#entry = entry;
    this.#deps = deps;
  }
  get signal(): AbortSignal {
    return this.#deps.signal;
  }
  get stream(): string {
    return this.#deps.settings.stream;
  }
  get consumer(): string {
    return this.#deps.settings.consumer;
  }
  get log(): Logger {
    this.#log ??= this.#deps.log.child({
      seq: this.#msg.seq,
      subject: this.#msg.subject,
      deliveries: this.#msg.info.deliveryCount,
    });
    return this.#log;
  }
  working(): void {
    this.#entry.lastProgress = performance.now();
    this.#msg.working();
  }
}

/**
 * Runs the handler for one message and settles it: ack on success; on failure nak with backoff,
 * or after max deliveries (or a permanent error) publish to the dead-letter subject and term.
 * `process` never rejects.
 */
export class Processor {
  readonly #deps: ProcessorDeps;
  readonly naks = new NakGate();
  readonly acks = new AckBatcher();

  constructor(deps: ProcessorDeps) {
    this.#deps = deps;
  }

  async process(msg: JsMsg, touch: boolean): Promise<void> {
    const { handler, metrics, inFlight, signal } = this.#deps;
    const entry = inFlight.add(msg, touch);
    const deliveries = msg.info.deliveryCount;
    metrics.started(deliveries > 1);
    const start = performance.now();
    let failed = false;
    let error: unknown;
    try {
      await handler(wrapMessage(msg), new Context(msg, entry, this.#deps));
    } catch (err) {
      failed = true;
      error = err;
    }
    inFlight.delete(entry);
    const seconds = (performance.now() - start) / 1_000;

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
    const deliveries = msg.info.deliveryCount;
    const permanent = isPermanent(error);
    if (!permanent && deliveries < settings.maxDeliver) {
      const delay = retryDelayMs(deliveries, settings.retryBackoffMs, settings.retryBackoffMaxMs);
      log.warn(
        {
          event: 'message_failed',
          seq: msg.seq,
          subject: msg.subject,
          deliveries,
          retryInMs: delay,
          err: error,
        },
        `handler failed (delivery ${deliveries} of ${settings.maxDeliver}); retrying in ${delay} ms`,
      );
      await this.naks.nak(() => {
        msg.nak(delay);
      });
      return;
    }
    await this.#deadLetter(msg, error, permanent);
  }

  async #deadLetter(msg: JsMsg, error: unknown, permanent: boolean): Promise<void> {
    const { settings, log, js, metrics } = this.#deps;
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
    try {
      await publishDeadLetter(js, settings.deadLetterSubject, msg.data, origin, msg.headers);
    } catch (err) {
      const delay = settings.retryBackoffMaxMs;
      log.error(
        { event: 'dead_letter_failed', origin, deadLetterSubject: settings.deadLetterSubject, err },
        `message ${origin.sequence} ${why} but could not be stored on ${settings.deadLetterSubject} ` +
          `(does a stream capture that subject?); leaving it in ${settings.stream}, retry in ${delay} ms`,
      );
      await this.naks.nak(() => {
        msg.nak(delay);
      });
      return;
    }
    // Plain term(): nats-server 2.9.10 ignores a term that carries a reason.
    settle(() => {
      msg.term();
    });
    metrics.deadLettered();
    log.error(
      {
        event: 'message_dead_lettered',
        origin,
        deadLetterSubject: settings.deadLetterSubject,
        err: error,
      },
      `message ${origin.sequence} ${why}; published to ${settings.deadLetterSubject} and terminated`,
    );
  }
}
