/** Base class of every error the worker runtime throws on purpose. */
export class WorkerError extends Error {
  override readonly name: string = 'WorkerError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** One invalid setting: the variable (or option) that holds it, and what to do about it. */
export interface SettingProblem {
  /** Environment variable or option name, e.g. `EDS_CONCURRENCY`. */
  readonly variable: string;
  /** The rejected raw value. */
  readonly value: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** Settings could not be read; `problems` lists every invalid variable. */
export class SettingsError extends WorkerError {
  override readonly name = 'SettingsError';
  readonly problems: readonly SettingProblem[];
  constructor(problems: readonly SettingProblem[]) {
    super('EDS_INVALID_SETTINGS', formatProblems(problems));
    this.problems = problems;
  }
}

export function formatProblems(problems: readonly SettingProblem[]): string {
  const lines = problems.map((p) => `  ${p.variable}: ${p.message}`);
  return [`invalid worker settings:`, ...lines].join('\n');
}

/** The handler module could not be loaded or does not export a handler. */
export class HandlerLoadError extends WorkerError {
  override readonly name = 'HandlerLoadError';
}

/** The stream or consumer cannot be used as configured (missing stream, push consumer, …). */
export class ConsumerSetupError extends WorkerError {
  override readonly name = 'ConsumerSetupError';
}

/**
 * Throw this (or any error with `retryable: false`) from a handler when retrying cannot help,
 * e.g. a payload that will never parse. The message goes to the dead-letter subject at once.
 */
export class PermanentError extends WorkerError {
  override readonly name = 'PermanentError';
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super('EDS_PERMANENT', message, options);
  }
}

/**
 * A handler ran past `EDS_HANDLER_TIMEOUT_MS`: the reason `context.signal` aborts with, and the
 * failure the message is retried for.
 */
export class HandlerTimeoutError extends WorkerError {
  override readonly name = 'HandlerTimeoutError';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(
      'EDS_HANDLER_TIMEOUT',
      `the handler ran past its deadline of ${timeoutMs} ms (EDS_HANDLER_TIMEOUT_MS)`,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** `message.json()` met a payload that is not JSON. Retrying will not fix it. */
export class MessageDecodeError extends WorkerError {
  override readonly name = 'MessageDecodeError';
  readonly retryable = false;
}

/** True when the thrown value says retrying cannot help (`retryable === false`). */
export function isPermanent(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'retryable' in err && err.retryable === false;
}

/** A short single-line description of any thrown value, for logs and headers. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  if (typeof err !== 'object' || err === null) return String(err);
  try {
    return JSON.stringify(err);
  } catch {
    return Object.prototype.toString.call(err);
  }
}
