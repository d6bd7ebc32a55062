import type { Logger } from 'pino';
import type { WorkerMessage } from './message.js';
import type { ReadinessCheck } from './readiness.js';

/** What a handler gets besides the message. */
export interface HandlerContext {
  /**
   * Aborts when the worker is about to give up on running handlers during shutdown, or when this
   * run passes its deadline (`EDS_HANDLER_TIMEOUT_MS`, reason `HandlerTimeoutError`). Pass it to
   * fetch, database clients and timers so the handler can stop cleanly; a handler that throws
   * because of shutdown has its message handed back at once, one past its deadline is retried.
   */
  readonly signal: AbortSignal;
  /** Logger with the message's stream sequence, subject and delivery count bound. */
  readonly log: Logger;
  readonly stream: string;
  readonly consumer: string;
  /**
   * Tells the server the message is still being worked on (resets its ack wait). The worker
   * already does this on a timer; call it only around a single step longer than ack wait.
   */
  working(): void;
}

/**
 * A message handler. Resolving acks the message; throwing (or rejecting) retries it with
 * backoff until max deliveries, then dead-letters it. Throw an error with `retryable: false`
 * (e.g. `PermanentError`) to dead-letter at once. Handlers must be idempotent: a crash, a lost
 * connection or a lost ack redelivers a message that may already have been handled.
 */
export type Handler = (message: WorkerMessage, context: HandlerContext) => unknown;

/** What a handler module (`eds-worker ./handler.js`) may export. */
export interface HandlerModule {
  /** The handler. Required. */
  readonly default: Handler;
  /** Named readiness checks, e.g. `{database: async () => pool.query('select 1')}`. */
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
}
