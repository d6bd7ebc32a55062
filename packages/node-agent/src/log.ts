/**
 * The agent's log: one JSON line per event on stdout, `{"time", "event", ...fields}`. Values
 * from the API (names, messages) are JSON-quoted, and the characters JSON leaves raw that still
 * act on a terminal (C1 controls, bidirectional overrides, line separators: `@eds/core`'s
 * `UNSAFE_AFTER_QUOTING`) become `\uXXXX` escapes, as the CLI's JSON output does. The agent
 * never logs env values, Secret data or file contents: only names.
 */
import { writeSync } from 'node:fs';
import { UNSAFE_AFTER_QUOTING } from '@eds/core';

const UNSAFE = new RegExp(UNSAFE_AFTER_QUOTING.source, 'gu');

export type Fields = Readonly<
  Record<string, string | number | boolean | undefined | readonly unknown[] | object>
>;

/** `fields` as one inert line (without its newline). */
export function logLine(event: string, fields: Fields, now: Date): string {
  return JSON.stringify({ time: now.toISOString(), event, ...fields }).replace(
    UNSAFE,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

export type Log = (event: string, fields?: Fields) => void;

/** Writes synchronously, so a line is out before a shutdown that follows it. */
export const stdoutLog: Log = (event, fields = {}) => {
  writeSync(1, `${logLine(event, fields, new Date())}\n`);
};
