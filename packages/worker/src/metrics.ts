import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DEAD_LETTER_FAILURE_REASONS } from './dead-letter.js';
import type { DeadLetterFailureReason } from './dead-letter.js';

/** How a message's processing ended, the `status` label of `nats_messages_processed_total`. */
export type ProcessStatus = 'success' | 'error' | 'aborted';

/** Histogram buckets in seconds: fine below 1 s, coarse up to the default ack wait. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
] as const;

/** The worker's Prometheus metrics, in a registry of their own (one per worker). */
export class WorkerMetrics {
  readonly registry: Registry;
  readonly #processed: Record<ProcessStatus, Counter.Internal>;
  readonly #duration: Record<ProcessStatus, Histogram.Internal<'status'>>;
  readonly #inFlight: Gauge;
  readonly #deadLettered: Counter;
  readonly #redelivered: Counter;
  readonly #deadLetterFailures: Counter<'reason'>;
  readonly #timeouts: Counter;
  readonly #overdue: Gauge;
  readonly #buffered: Gauge;

  constructor(options: { readonly defaultMetrics?: boolean } = {}) {
    this.registry = new Registry();
    const registers = [this.registry];
    const processed = new Counter({
      name: 'nats_messages_processed_total',
      help: 'NATS messages processed, by outcome (success, error, aborted)',
      labelNames: ['status'],
      registers,
    });
    const duration = new Histogram({
      name: 'nats_message_processing_duration_seconds',
      help: 'Time spent in the message handler',
      labelNames: ['status'],
      buckets: [...DURATION_BUCKETS],
      registers,
    });
    this.#inFlight = new Gauge({
      name: 'nats_messages_in_flight',
      help: 'Messages whose handler is running',
      registers,
    });
    this.#deadLettered = new Counter({
      name: 'nats_messages_dead_lettered_total',
      help: 'Messages published to the dead-letter subject and terminated',
      registers,
    });
    this.#redelivered = new Counter({
      name: 'nats_messages_redelivered_total',
      help: 'Messages received with a delivery count above 1',
      registers,
    });
    this.#deadLetterFailures = new Counter({
      name: 'nats_dead_letter_failures_total',
      help: 'Attempts to store a dead letter that failed, by reason (the message is kept and retried)',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of DEAD_LETTER_FAILURE_REASONS) this.#deadLetterFailures.inc({ reason }, 0);
    this.#timeouts = new Counter({
      name: 'nats_handler_timeouts_total',
      help: 'Handlers that ran past EDS_HANDLER_TIMEOUT_MS (their messages were retried)',
      registers,
    });
    this.#overdue = new Gauge({
      name: 'nats_handlers_overdue',
      help: 'Handlers past their deadline that have not returned yet (they ignore context.signal)',
      registers,
    });
    this.#buffered = new Gauge({
      name: 'nats_messages_buffered',
      help: 'Messages pulled and waiting for a free handler slot (kept in progress meanwhile)',
      registers,
    });
    // Label children are looked up once; the hot path then does no label hashing. Every status
    // is exported from the start (at 0), so rate() and alerts work before the first error.
    const statuses: ProcessStatus[] = ['success', 'error', 'aborted'];
    for (const status of statuses) {
      processed.inc({ status }, 0);
      duration.zero({ status });
    }
    this.#processed = Object.fromEntries(statuses.map((s) => [s, processed.labels(s)])) as Record<
      ProcessStatus,
      Counter.Internal
    >;
    this.#duration = Object.fromEntries(statuses.map((s) => [s, duration.labels(s)])) as Record<
      ProcessStatus,
      Histogram.Internal<'status'>
    >;
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  started(redelivered: boolean): void {
    this.#inFlight.inc();
    if (redelivered) this.#redelivered.inc();
  }

  finished(status: ProcessStatus, seconds: number): void {
    this.#inFlight.dec();
    this.#processed[status].inc();
    this.#duration[status].observe(seconds);
  }

  deadLettered(): void {
    this.#deadLettered.inc();
  }

  /** A handler passed its deadline; it stays overdue until `overdueReturned()`. */
  handlerTimedOut(): void {
    this.#timeouts.inc();
    this.#overdue.inc();
  }

  overdueReturned(): void {
    this.#overdue.dec();
  }

  /** Messages now waiting for a handler slot. */
  buffered(count: number): void {
    this.#buffered.set(count);
  }

  deadLetterFailed(reason: DeadLetterFailureReason): void {
    this.#deadLetterFailures.inc({ reason });
  }
}
