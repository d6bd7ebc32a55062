/**
 * Worker settings: what each one means, its default and the environment variable that
 * overrides it. Parsing lives in `settings-parse.ts`.
 */

/** Log levels accepted by `EDS_LOG_LEVEL`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface WorkerSettings {
  /** NATS server URL(s), comma-separated. Env `NATS_URL`. Default `nats://nats.nats.svc:4222`. */
  readonly natsUrl: string;
  /** JetStream stream to consume. Env `NATS_STREAM_NAME`. Required. */
  readonly stream: string;
  /** Durable pull consumer shared by all replicas. Env `NATS_CONSUMER_GROUP`. Required. */
  readonly consumer: string;
  /** HTTP port for `/health`, `/ready`, `/metrics`. Env `PORT`. Default 8080 (0 picks a free port). */
  readonly port: number;
  /** Messages handled at the same time. Env `EDS_CONCURRENCY`. Default 5. */
  readonly concurrency: number;
  /** Server-side ack wait of a consumer the worker creates. Env `EDS_ACK_WAIT_MS`. Default 30000. */
  readonly ackWaitMs: number;
  /** Deliveries before a failing message is dead-lettered. Env `EDS_MAX_DELIVER`. Default 5. */
  readonly maxDeliver: number;
  /** Redelivery delay after the first failure; doubles per delivery. Env `EDS_RETRY_BACKOFF_MS`. Default 1000. */
  readonly retryBackoffMs: number;
  /** Upper bound of the redelivery delay. Env `EDS_RETRY_BACKOFF_MAX_MS`. Default 60000. */
  readonly retryBackoffMaxMs: number;
  /**
   * Subject that receives messages that failed `maxDeliver` times. Env `EDS_DEAD_LETTER_SUBJECT`.
   * Default `dead-letter.<stream>`; the empty string turns dead-lettering off.
   */
  readonly deadLetterSubject: string;
  /**
   * Time from SIGTERM to exit. Env `EDS_SHUTDOWN_TIMEOUT_MS`, which the platform's Deployment sets
   * from `terminationGracePeriodSeconds` (the grace period less max(2 s, 10 %)). Default 25000, for
   * workers run elsewhere.
   */
  readonly shutdownTimeoutMs: number;
  /**
   * Longest a handler may run for one message. At the deadline `context.signal` aborts, the
   * message counts as failed and is retried (or dead-lettered on its last delivery), and the slot
   * is freed even if the handler never returns. Env `EDS_HANDLER_TIMEOUT_MS`. Default 600000
   * (10 min): long enough for most jobs, so raise it only for handlers that run longer.
   */
  readonly handlerTimeoutMs: number;
  /** pino log level. Env `EDS_LOG_LEVEL`. Default `info`. */
  readonly logLevel: LogLevel;
}

/** Settings a program may pass to `runWorker`; the environment still overrides them. */
export type SettingsInput = Partial<WorkerSettings>;

export const DEFAULT_NATS_URL = 'nats://nats.nats.svc:4222';

/** Defaults of everything but the stream-dependent dead-letter subject. */
export const DEFAULTS = {
  natsUrl: DEFAULT_NATS_URL,
  port: 8080,
  concurrency: 5,
  ackWaitMs: 30_000,
  maxDeliver: 5,
  retryBackoffMs: 1_000,
  retryBackoffMaxMs: 60_000,
  shutdownTimeoutMs: 25_000,
  handlerTimeoutMs: 600_000,
  logLevel: 'info',
} as const satisfies Partial<WorkerSettings>;

export function defaultDeadLetterSubject(stream: string): string {
  return `dead-letter.${stream}`;
}

/** Environment variable of each setting, in the order the docs list them. */
export const ENV_NAMES = {
  natsUrl: 'NATS_URL',
  stream: 'NATS_STREAM_NAME',
  consumer: 'NATS_CONSUMER_GROUP',
  port: 'PORT',
  concurrency: 'EDS_CONCURRENCY',
  ackWaitMs: 'EDS_ACK_WAIT_MS',
  maxDeliver: 'EDS_MAX_DELIVER',
  retryBackoffMs: 'EDS_RETRY_BACKOFF_MS',
  retryBackoffMaxMs: 'EDS_RETRY_BACKOFF_MAX_MS',
  deadLetterSubject: 'EDS_DEAD_LETTER_SUBJECT',
  shutdownTimeoutMs: 'EDS_SHUTDOWN_TIMEOUT_MS',
  handlerTimeoutMs: 'EDS_HANDLER_TIMEOUT_MS',
  logLevel: 'EDS_LOG_LEVEL',
} as const satisfies Record<keyof WorkerSettings, string>;
