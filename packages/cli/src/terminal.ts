/**
 * Text that reaches a terminal or a CI log, whatever the input held. File names, claim values
 * and manifest kinds can carry control characters (clear the screen, retitle the terminal,
 * fake a line), bidirectional overrides, or GitHub Actions workflow commands: `::cmd::` at the
 * start of a line (after any whitespace) and `##[cmd]` anywhere in one, which the runner
 * executes from stdout and stderr. Every line the CLI prints goes through `printableLines` (text)
 * or `printableJson` (json); each shows such characters visibly instead.
 */
import { UNSAFE_AFTER_QUOTING, UNSAFE_CHARS } from '@eds/core';

/** The characters of `UNSAFE_CHARS`, the backslash (the escape character itself), and `##[`. */
const UNSAFE = new RegExp(`${UNSAFE_CHARS.source}|\\\\|##\\[`, 'gu');

const NAMED: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\\': '\\\\',
  '##[': '##\\[',
};

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.codePointAt(0) ?? 0;
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u{${code.toString(16).padStart(4, '0')}}`;
}

/** One line, safe to print: nothing in it can act on a terminal or a CI runner. */
export function printable(line: string): string {
  const escaped = line.replace(UNSAFE, escapeChar);
  // The runner reads `::` only at the start of a line, after trimming whitespace.
  const start = escaped.length - escaped.trimStart().length;
  return escaped.startsWith('::', start)
    ? `${escaped.slice(0, start)}\\:${escaped.slice(start + 1)}`
    : escaped;
}

/** Lines (each one line of the output, without its newline) as text to print. */
export function printableLines(lines: readonly string[]): string {
  return lines.map((l) => `${printable(l)}\n`).join('');
}

/** What JSON.stringify leaves raw of those, and `##[`. */
const JSON_UNSAFE = new RegExp(`${UNSAFE_AFTER_QUOTING.source}|##\\[`, 'gu');

/**
 * `value` as pretty JSON, still valid JSON, with the characters above as `\uXXXX` escapes (C0
 * controls JSON.stringify escapes already; `##[` becomes `##\u005b`).
 */
export function printableJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(JSON_UNSAFE, (c) =>
    c === '##[' ? '##\\u005b' : `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
  return `${text}\n`;
}
