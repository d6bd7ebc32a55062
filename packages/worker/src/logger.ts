import { pino, stdSerializers } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { PAYLOAD_EXCERPT } from './message.js';
import { redactCredentials } from './redact.js';
import type { LogLevel } from './settings.js';

export interface LoggerOptions {
  readonly level: LogLevel;
  /** The `service` field on every line; the worker uses the consumer group name. */
  readonly service: string;
}

/** Strings anywhere in a serialized error (message, stack, cause, properties) lose credentials. */
function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactCredentials(value);
  if (depth > 8 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, redactDeep(v, depth + 1)] as const),
  );
}

/**
 * JSON lines with `timestamp` (ISO 8601), `level` (as a word), `service`, `event` and `message`,
 * the field names the platform's log guidance asks for. Credentials in URLs are hidden in
 * messages and errors (`redactCredentials`).
 *
 * Without a `destination`, lines go to stdout with synchronous writes
 * (`pino.destination({ sync: true })`); pino's default destination is asynchronous. In a pod,
 * stdout is a pipe to the container runtime: an asynchronous writer buffers behind a slow
 * reader, and `process.exit` then drops whatever is still buffered. A synchronous write returns
 * once the pipe has taken the line, so every line reaches the collector, and exit waits only
 * for the reader to take what was already written.
 */
export function createLogger(options: LoggerOptions, destination?: DestinationStream): Logger {
  const verbose = options.level === 'debug' || options.level === 'trace';
  const config = {
    level: options.level,
    base: { service: options.service },
    messageKey: 'message',
    timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: {
      err: (err: Error) => {
        const out = redactDeep(stdSerializers.err(err)) as Record<string, unknown>;
        // Payload bytes only at debug or trace: they may be personal or secret data.
        const excerpt = (err as unknown as Record<string, unknown>)[PAYLOAD_EXCERPT];
        return verbose && typeof excerpt === 'string'
          ? { ...out, [PAYLOAD_EXCERPT]: excerpt }
          : out;
      },
    },
    hooks: {
      logMethod(this: Logger, args: Parameters<Logger['info']>, method: Logger['info']): void {
        const safe = args.map((a: unknown) => (typeof a === 'string' ? redactCredentials(a) : a));
        method.apply(this, safe as Parameters<Logger['info']>);
      },
    },
  };
  return pino(config, destination ?? pino.destination({ dest: 1, sync: true }));
}
