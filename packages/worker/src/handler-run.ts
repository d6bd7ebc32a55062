import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { HandlerTimeoutError } from './errors.js';
import type { Handler, HandlerContext } from './handler.js';
import type { InFlightEntry } from './in-flight.js';
import { wrapMessage } from './message.js';
import type { WorkerMetrics } from './metrics.js';
import type { WorkerSettings } from './settings.js';

export interface HandlerRunDeps {
  readonly handler: Handler;
  readonly settings: WorkerSettings;
  readonly metrics: WorkerMetrics;
  readonly log: Logger;
  /** Shared by every handler; aborted during shutdown. */
  readonly signal: AbortSignal;
}

/** How a handler run ended. */
export type HandlerOutcome =
  { readonly failed: false } | { readonly failed: true; readonly error: unknown };

/**
 * `context` of one handler run. Its `signal` aborts at shutdown (the shared signal) or at the
 * handler's deadline; it is made on first use, so handlers that never read it cost nothing.
 */
class Context implements HandlerContext {
  readonly #msg: JsMsg;
  readonly #entry: InFlightEntry;
  readonly #deps: HandlerRunDeps;
  #log: Logger | undefined;
  #own: AbortController | undefined;
  #signal: AbortSignal | undefined;
  #expired: HandlerTimeoutError | undefined;

  constructor(msg: JsMsg, entry: InFlightEntry, deps: HandlerRunDeps) {
    this.#msg = msg;
    this.#entry = entry;
    this.#deps = deps;
  }
  get signal(): AbortSignal {
    if (this.#signal === undefined) {
      this.#own = new AbortController();
      if (this.#expired !== undefined) this.#own.abort(this.#expired);
      this.#signal = AbortSignal.any([this.#deps.signal, this.#own.signal]);
    }
    return this.#signal;
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
    // Past the deadline the message is already being retried: an in-progress ack would only
    // delay the retry.
    if (this.#expired !== undefined) return;
    this.#entry.lastProgress = performance.now();
    this.#msg.working();
  }
  /** The deadline passed: abort the signal. */
  expire(reason: HandlerTimeoutError): void {
    this.#expired = reason;
    this.#own?.abort(reason);
  }
}

/**
 * Runs the handler for one message with a deadline (`EDS_HANDLER_TIMEOUT_MS`). At the deadline
 * `context.signal` aborts and the run counts as failed with `HandlerTimeoutError` at once,
 * without waiting for the handler: one that ignores the signal keeps running in the background,
 * counted in `nats_handlers_overdue` until it returns, but no longer holds its slot.
 */
export async function runHandler(
  msg: JsMsg,
  entry: InFlightEntry,
  deps: HandlerRunDeps,
): Promise<HandlerOutcome> {
  const { handler, settings } = deps;
  const context = new Context(msg, entry, deps);
  const started = performance.now();
  const run = (async () => {
    await handler(wrapMessage(msg), context);
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      resolve('timeout');
    }, settings.handlerTimeoutMs);
  });
  try {
    if ((await Promise.race([run.then(() => 'done' as const), deadline])) === 'done') {
      return { failed: false };
    }
  } catch (err) {
    return { failed: true, error: err };
  } finally {
    clearTimeout(timer);
  }
  const error = new HandlerTimeoutError(settings.handlerTimeoutMs);
  context.expire(error);
  overdue(run, msg, started, deps);
  return { failed: true, error };
}

/** Logs the timeout and follows the handler that ran past it until it returns, if ever. */
function overdue(run: Promise<void>, msg: JsMsg, started: number, deps: HandlerRunDeps): void {
  const { metrics, log, settings } = deps;
  const fields = { seq: msg.seq, subject: msg.subject, deliveries: msg.info.deliveryCount };
  metrics.handlerTimedOut();
  log.error(
    { event: 'handler_timeout', ...fields, timeoutMs: settings.handlerTimeoutMs },
    `handler for message ${msg.seq} ran past EDS_HANDLER_TIMEOUT_MS (${settings.handlerTimeoutMs} ms); ` +
      'context.signal aborted and the message will be retried; a handler that ignores the signal ' +
      'keeps running in the background (nats_handlers_overdue)',
  );
  const returned = (outcome: string): void => {
    metrics.overdueReturned();
    const ms = Math.round(performance.now() - started);
    log.warn(
      { event: 'handler_returned_late', ...fields, outcome, durationMs: ms },
      `handler for message ${msg.seq} returned ${ms} ms after it started, past its deadline; its outcome is ignored`,
    );
  };
  run.then(
    () => {
      returned('success');
    },
    () => {
      returned('error');
    },
  );
}
