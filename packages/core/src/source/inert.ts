/**
 * Characters that act on a terminal or a CI log when printed raw: C0 and C1 controls, DEL,
 * line and paragraph separators, bidirectional marks and overrides. With `##[` anywhere in a
 * line and `::` at the start of one (after whitespace), GitHub Actions runs a workflow command
 * (the runner's ActionCommand parser, v1 and v2 syntax). The CLI's text output and eds's YAML
 * output keep all of these from reaching a reader raw.
 */
export const UNSAFE_CHARS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/**
 * `UNSAFE_CHARS` but for C0 controls: what JSON.stringify and the `yaml` package's double
 * quotes still leave raw (both escape C0 controls themselves).
 */
export const UNSAFE_AFTER_QUOTING =
  /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** `UNSAFE_CHARS` but for tab and newline, which are harmless in text that keeps its lines. */
const UNSAFE_IN_LINES =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/**
 * Would `text`, printed as is starting a line (a multi-line string as YAML's block literal,
 * each of its lines starting one), act on a terminal or a CI runner?
 */
export function actsOnReader(text: string): boolean {
  return (
    UNSAFE_IN_LINES.test(text) ||
    text.includes('##[') ||
    text.split('\n').some((line) => line.trimStart().startsWith('::'))
  );
}
