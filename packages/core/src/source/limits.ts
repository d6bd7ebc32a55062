/**
 * Limits on the size and shape of YAML input, so that every file costs bounded time and memory
 * whatever it holds. The reasons for each number are in README.md ("Limits on input").
 */
import { CST, Lexer } from 'yaml';

export const YAML_LIMITS = {
  /** Bytes in one input. The API server takes at most 3 MiB in one request; a claim is ~1 KiB. */
  bytes: 4 * 1024 * 1024,
  /** Documents in one input, empty ones included. A chart's output has hundreds. */
  documents: 10_000,
  /** Collections inside collections. A Deployment is ~12 deep; the parsers recurse per level. */
  depth: 100,
  /** Keys, values and list items in one input. A Deployment with managedFields has ~600. */
  nodes: 100_000,
} as const;

export type YamlLimit = keyof typeof YAML_LIMITS;
export type YamlLimits = Record<YamlLimit, number>;

const MIB = 1024 * 1024;
/** `100000` → `100,000`, without loading ICU's locale data (`toLocaleString` costs ~10 ms). */
const grouped = (n: number): string => String(n).replace(/\B(?=(?:\d{3})+$)/g, ',');

/** What went over, and the fix: `<file>: <message>`. */
const MESSAGE: Record<YamlLimit, string> = {
  bytes: `larger than ${YAML_LIMITS.bytes / MIB} MiB, the limit for one input; split it into smaller files`,
  documents: `more than ${grouped(YAML_LIMITS.documents)} YAML documents, the limit for one input; split it into smaller files`,
  depth: `nested more than ${YAML_LIMITS.depth} levels deep, the limit for one input; no Kubernetes object nests this deep, so check that this is the file you meant`,
  nodes: `more than ${grouped(YAML_LIMITS.nodes)} keys, values and list items, the limit for one input; split it into smaller files`,
};

/** Input over one of `YAML_LIMITS`: eds refuses it rather than read it (the CLI exits 2). */
export class YamlLimitError extends Error {
  override readonly name = 'YamlLimitError';
  readonly code = 'yaml-limit';
  readonly limit: YamlLimit;
  constructor(limit: YamlLimit) {
    super(MESSAGE[limit]);
    this.limit = limit;
  }
}

/** The byte limit alone (the CLI also stops reading a file or stdin past it). */
export function checkTextSize(text: string): void {
  // A character is at least one byte: the exact count is only needed near the limit.
  if (text.length > YAML_LIMITS.bytes) throw new YamlLimitError('bytes');
  if (text.length * 3 > YAML_LIMITS.bytes && Buffer.byteLength(text) > YAML_LIMITS.bytes) {
    throw new YamlLimitError('bytes');
  }
}

/**
 * Checks the limits on the text's tokens, before anything is built from them: one linear pass
 * of the `yaml` lexer, which keeps no tree, stopping at the first limit passed. Counts each
 * scalar (keys included), flow collection and list item (with what starts on its line) as a node,
 * and nesting as flow brackets plus block indentation levels: never more than the parsed data
 * has (`checkValueLimits`), so that whatever the fast parser accepts, this accepts too.
 */
export function checkTextLimits(text: string, limits: YamlLimits = YAML_LIMITS): void {
  checkTextSize(text);
  const exceeded = (limit: YamlLimit, count: number) => {
    if (count > limits[limit]) throw new YamlLimitError(limit);
  };
  let documents = 0;
  let content = false;
  let nodes = 0;
  let flow = 0;
  let column = 0;
  let keyColumn: number | undefined;
  // A list item and the node on its line are one node of the data (`- a`, `- [1]`, `- - a`).
  let item = false;
  const node = () => {
    if (item) item = false;
    else exceeded('nodes', ++nodes);
  };
  const indents: number[] = [];
  const block = (at: number): void => {
    while (indents.length > 0 && (indents.at(-1) ?? 0) > at) indents.pop();
    if (indents.length === 0 || (indents.at(-1) ?? 0) < at) indents.push(at);
    exceeded('depth', indents.length + flow);
  };
  for (const token of new Lexer().lex(text)) {
    const start = column;
    const newline = token.lastIndexOf('\n');
    column = newline === -1 ? column + token.length : token.length - newline - 1;
    switch (CST.tokenType(token)) {
      case 'doc-start':
        exceeded('documents', ++documents);
        content = true;
        indents.length = 0;
        flow = 0;
        break;
      case 'flow-map-start':
      case 'flow-seq-start':
        flow++;
        node();
        exceeded('depth', indents.length + flow);
        break;
      case 'flow-map-end':
      case 'flow-seq-end':
        flow = Math.max(0, flow - 1);
        break;
      case 'seq-item-ind':
        if (!item) exceeded('nodes', ++nodes);
        item = true;
        if (flow === 0) block(start);
        break;
      case 'explicit-key-ind':
        if (flow === 0) block(start);
        break;
      case 'map-value-ind':
        if (flow === 0) block(keyColumn ?? start);
        break;
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        node();
        keyColumn = start;
        break;
      case 'newline':
        keyColumn = undefined;
        item = false;
        break;
      default:
        break;
    }
    if (!content && nodes > 0) {
      content = true;
      exceeded('documents', ++documents);
    }
  }
}

/**
 * The same limits on parsed documents (as the fast parser returns them, empty ones included):
 * each key, value and list item is a node, each collection a level.
 */
export function checkValueLimits(
  documents: readonly unknown[],
  limits: YamlLimits = YAML_LIMITS,
): void {
  if (documents.length > limits.documents) throw new YamlLimitError('documents');
  // Two parallel stacks, not one of objects: this runs for every file on the fast path.
  const values: unknown[] = [...documents];
  const depths: number[] = documents.map(() => 0);
  let nodes = 0;
  while (values.length > 0) {
    const value = values.pop();
    const depth = (depths.pop() ?? 0) + 1;
    if (++nodes > limits.nodes) throw new YamlLimitError('nodes');
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limits.depth) throw new YamlLimitError('depth');
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) {
        values.push(item);
        depths.push(depth);
      }
    } else {
      for (const key in value) {
        nodes++; // a mapping's keys count too
        values.push((value as Record<string, unknown>)[key]);
        depths.push(depth);
      }
    }
  }
  if (nodes > limits.nodes) throw new YamlLimitError('nodes');
}
