import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from './settings.js';

export interface LoggerOptions {
  readonly level: LogLevel;
  /** The `service` field on every line; the worker uses the consumer group name. */
  readonly service: string;
}

/**
 * JSON lines with `timestamp` (ISO 8601), `level` (as a word), `service`, `event` and `message`,
 * the field names the platform's log guidance asks for. Writes synchronously to stdout unless a
 * destination is given, so the last lines before exit are never lost.
 */
export function createLogger(options: LoggerOptions, destination?: DestinationStream): Logger {
  const config = {
    level: options.level,
    base: { service: options.service },
    messageKey: 'message',
    timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination === undefined ? pino(config) : pino(config, destination);
}
