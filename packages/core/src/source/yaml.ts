/**
 * YAML text → documents, with positions. Syntax errors and duplicate keys become issues
 * (never exceptions), and any issue's path can be traced back to a line and column.
 */
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { issue, KEY_ISSUE_CODES, type Issue, type Segment } from '../api/issues.js';
import { inspect } from './inspect.js';
import { checkTextLimits } from './limits.js';
import { versionMessage } from './scalars.js';
import { KUBECTL_SCHEMA } from './tags.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** An issue with the place in the source it refers to, when known. */
export interface LocatedIssue extends Issue {
  readonly line?: number;
  readonly column?: number;
}

export interface SourceDocument {
  /** 0-based index of the document in its stream. */
  readonly index: number;
  /** The parsed value; `undefined` when the document could not be parsed. */
  readonly value: unknown;
  /** Syntax problems (the value is then `undefined`). */
  readonly issues: readonly LocatedIssue[];
  /**
   * Unquoted scalars that kubectl (YAML 1.1) and YAML 1.2 tools read differently (`no`, `017`),
   * each at its field: the value is what kubectl reads, and quoting it is the fix.
   */
  readonly warnings: readonly LocatedIssue[];
  /** Where the field at `at` is written (for unknown fields its key; for missing ones, the parent's key). */
  locate(at: readonly Segment[], code?: string): Position | undefined;
}

/** Aliases may not expand beyond this many nodes ("billion laughs"). */
const MAX_ALIAS_COUNT = 100;

function keyOf(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null)?.range;
  return range === undefined || range === null ? undefined : range[0];
}

/** Each mapping's pairs by key (the first of equal keys), built on the first lookup in it. */
type PairIndex = WeakMap<YAMLMap, Map<string, Pair>>;

function pairAt(index: PairIndex, map: YAMLMap, key: Segment): Pair | undefined {
  let pairs = index.get(map);
  if (pairs === undefined) {
    pairs = new Map();
    for (const p of map.items) {
      const k = String(keyOf(p.key));
      if (!pairs.has(k)) pairs.set(k, p);
    }
    index.set(map, pairs);
  }
  return pairs.get(String(key));
}

/** Where the node at `at` starts: one lookup per segment, so every issue costs its path's length. */
function offsetOf(
  doc: Document,
  index: PairIndex,
  at: readonly Segment[],
  code?: string,
): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const [i, segment] of at.entries()) {
    const last = i === at.length - 1;
    if (isMap(node)) {
      const pair = pairAt(index, node, segment);
      if (pair === undefined) return offset;
      if (last && code !== undefined && KEY_ISSUE_CODES.has(code))
        return rangeStart(pair.key) ?? offset;
      offset = rangeStart(pair.value) ?? rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) return offset;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

/**
 * Splits a YAML stream into documents; empty documents (a lone `---`) are left out. Throws
 * `YamlLimitError` for text over `YAML_LIMITS`, before parsing it; `limitsChecked` skips that
 * scan for text whose values `parseYamlValuesFast` has already returned (and so measured).
 */
export function parseYamlDocuments(
  text: string,
  options: { readonly limitsChecked?: boolean } = {},
): SourceDocument[] {
  if (options.limitsChecked !== true) checkTextLimits(text);
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    ...KUBECTL_SCHEMA,
    lineCounter,
    uniqueKeys: false,
    prettyErrors: false,
  });
  const list = Array.isArray(docs) ? docs : [];
  const position = (offset: number | undefined): Position | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const out: SourceDocument[] = [];
  for (const doc of list) {
    const empty = doc.contents === null || (isScalar(doc.contents) && doc.contents.source === '');
    if (empty && doc.errors.length === 0) continue;
    const found = inspect(doc);
    const issues: LocatedIssue[] = [
      ...doc.errors.map((e) => ({
        ...issue('yaml-syntax', [], firstLine(e.message)),
        ...position(e.pos[0]),
      })),
      ...found.duplicates.map(({ offset }) => ({
        ...issue(
          'duplicate-key',
          [],
          `key ${JSON.stringify(keyAt(text, offset))} appears twice in the same mapping; keep one`,
        ),
        ...position(offset),
      })),
    ];
    let value: unknown;
    if (issues.length === 0) {
      try {
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (e) {
        issues.push({ ...issue('yaml-syntax', [], firstLine(String(e))), ...position(0) });
      }
    }
    const pairs: PairIndex = new WeakMap();
    const warnings = found.versionDependent.map(({ offset, at, source }) => ({
      ...issue('type', at, versionMessage(source)),
      ...position(offset),
    }));
    out.push({
      index: out.length,
      value,
      issues,
      warnings,
      // A missing field is reported at the key of the mapping that should hold it.
      locate: (at, code) =>
        position(
          code === 'required'
            ? offsetOf(doc, pairs, at.slice(0, -1), 'unknown-field')
            : offsetOf(doc, pairs, at, code),
        ),
    });
  }
  return out;
}

/** The key written at `offset` (unquoted), for naming it in a message. */
function keyAt(text: string, offset: number): string {
  const match = /^(?:"([^"]*)"|'([^']*)'|([^:\n]*?))\s*:/.exec(text.slice(offset));
  return match?.[1] ?? match?.[2] ?? match?.[3] ?? text.slice(offset, offset + 1);
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
