/**
 * Values as YAML that every reader reads back as the same values: kubectl (YAML 1.1 rules, through
 * go-yaml v2), YAML 1.2 tools and other YAML 1.1 readers. The `yaml` package quotes strings that
 * its own (1.2 core) schema would read as something else; this also quotes those that a 1.1
 * reader would (`on`, `NO`, `y`, `017`, `0o17`, `1e3`, `1:20`, `2024-01-01`), so that
 * `eds render | kubectl apply -f -` sends the strings eds rendered.
 */
import { Document, isScalar, visit } from 'yaml';
import { actsOnReader, UNSAFE_AFTER_QUOTING } from './inert.js';
import { plainIsSafe } from './scalars.js';

const ESCAPE_IN_QUOTES = new RegExp(`${UNSAFE_AFTER_QUOTING.source}|##\\[`, 'gu');

/**
 * One YAML document (no anchors for repeated values, no line folding, keys in their order).
 * Output is printed (`eds render` in CI, `eds migrate`), so a string that would act on a
 * terminal or runner (see inert.ts) is double-quoted, which also keeps a multi-line string off
 * the start of the lines below it, and what the `yaml` package leaves raw inside the quotes
 * (C1 controls, bidirectional marks, `##[`) is written as an escape: the same string to every
 * YAML reader.
 */
export function toSafeYaml(value: unknown): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || typeof node.value !== 'string') return;
      if (actsOnReader(node.value) || !plainIsSafe(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  // JSON-style double quotes: a line break is written as \n, never as a line of output.
  const text = doc.toString({ lineWidth: 0, doubleQuotedAsJSON: true });
  // Only double-quoted scalars can hold these (every string with one was quoted above), and in
  // double quotes \uXXXX and \x5b are the same characters.
  return text.replace(ESCAPE_IN_QUOTES, (c) =>
    c === '##[' ? '##\\x5b' : `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}
