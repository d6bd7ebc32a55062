// Public surface of @eds/worker.
export { runWorker } from './worker.js';
export type { Worker, WorkerOptions } from './worker.js';
export type { ShutdownResult } from './drain.js';
export type { Handler, HandlerContext, HandlerModule } from './handler.js';
export type { WorkerMessage, MessageHeaders } from './message.js';
export type { ReadinessCheck, ReadinessReport, CheckResult } from './readiness.js';
export type { WorkerSettings, SettingsInput, LogLevel } from './settings.js';
export { DEFAULTS, ENV_NAMES, LOG_LEVELS, defaultDeadLetterSubject } from './settings.js';
export { parseSettings, resolveSettings } from './settings-parse.js';
export type { Env, ParseResult } from './settings-parse.js';
export { retryDelayMs } from './backoff.js';
export { DEAD_LETTER_HEADERS } from './dead-letter.js';
export {
  WorkerError,
  SettingsError,
  HandlerLoadError,
  ConsumerSetupError,
  PermanentError,
  MessageDecodeError,
  HandlerTimeoutError,
} from './errors.js';
export type { SettingProblem } from './errors.js';
export { WorkerMetrics } from './metrics.js';
export type { ProcessStatus } from './metrics.js';
export { parseNatsServers, type NatsAuth, type NatsServers } from './nats-url.js';
export { redactCredentials } from './redact.js';
