/**
 * Go durations (`time.ParseDuration`), as NACK's Consumer spells `ackWait`: so that `30s`,
 * `0.5m` and `30000ms` are the same wait. A sequence of decimal numbers, each with a unit
 * (ns, us/µs, ms, s, m, h), optionally signed; "0" alone needs no unit.
 * @see https://pkg.go.dev/time#ParseDuration
 */
const UNIT_NS: ReadonlyMap<string, number> = new Map([
  ['ns', 1],
  ['us', 1e3],
  ['µs', 1e3],
  ['μs', 1e3],
  ['ms', 1e6],
  ['s', 1e9],
  ['m', 60e9],
  ['h', 3600e9],
]);

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** The duration in nanoseconds, or `undefined` when `text` is not a Go duration. */
export function parseGoDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const sign = text.startsWith('-') ? -1 : 1;
  const body = /^[-+]/.test(text) ? text.slice(1) : text;
  if (body === '0') return 0;
  if (body === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < body.length) {
    const m = PART.exec(body);
    if (m === null) return undefined;
    total += Number(m[1]) * (UNIT_NS.get(m[2] ?? '') ?? Number.NaN);
  }
  return sign * total;
}

/** Whether two values are the same Go duration (or equal as they are, when either is not one). */
export function sameDuration(x: unknown, y: unknown): boolean {
  const a = parseGoDuration(x);
  const b = parseGoDuration(y);
  return a === undefined || b === undefined ? x === y : a === b;
}
