/**
 * Validation problems are plain data. Rendering them as text, JSON or CI annotations is the
 * job of the edges (CLI, composition function), never of the code that finds them.
 */
export type Segment = string | number;

export type IssueCode =
  | 'required'
  | 'unknown-field'
  | 'type'
  | 'enum'
  | 'const'
  | 'pattern'
  | 'empty'
  | 'too-long'
  | 'range'
  | 'scaling-bounds'
  | 'mounts-nothing'
  | 'reserved-env'
  /** A map key that is not a valid Kubernetes annotation key. */
  | 'annotation-key'
  /** An annotation key the claim may not set on the pods. */
  | 'reserved-annotation'
  /** A map key that is not a valid Kubernetes label key. */
  | 'label-key'
  /** A map value that is not a valid Kubernetes label value. */
  | 'label-value'
  /** A label key the platform sets itself. */
  | 'reserved-label'
  | 'duplicate'
  | 'yaml-syntax'
  | 'duplicate-key'
  | 'not-an-object'
  | 'too-many'
  /** A warning: the field is valid but does nothing with the rest of the spec. */
  | 'no-effect'
  /** A warning: with no pod running and no managed consumer, the consumer may never exist. */
  | 'unmanaged-consumer';

export interface Issue {
  readonly code: IssueCode;
  /** JSON path of the field, e.g. `spec.nats.stream` or `spec.secretRefs[0].env[1].envName`. */
  readonly path: string;
  /** What is wrong, naming the value and the rule; does not repeat the path. */
  readonly message: string;
  /** Path segments, for locating the field in a source document. */
  readonly at: readonly Segment[];
  /** For `too-many`: how many more problems there are, not listed. */
  readonly unlisted?: number;
}

/** Codes of problems with a mapping's key rather than its value: located at the key. */
export const KEY_ISSUE_CODES: ReadonlySet<string> = new Set<IssueCode>([
  'unknown-field',
  'annotation-key',
  'reserved-annotation',
  'label-key',
  'reserved-label',
]);

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** Formats segments as a JSON path: `spec.secretRefs[0].name`, `metadata.labels["a/b"]`. */
export function formatPath(at: readonly Segment[]): string {
  let out = '';
  for (const s of at) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENT.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

export function issue(code: IssueCode, at: readonly Segment[], message: string): Issue {
  return { code, path: formatPath(at), message, at };
}

/** The issue for a whole document that is not a mapping; `what` names it ("the document"). */
export function notAMapping(what: string, value: unknown): Issue {
  return issue('not-an-object', [], `${what} must be a mapping, not ${describeType(value)}`);
}

/**
 * One problem as `eds validate` prints it after the location: `spec.size  "xlarge" is not one
 * of small, medium, large` (two spaces apart), or the message alone for the whole document.
 */
export function formatIssue(i: Pick<Issue, 'path' | 'message'>): string {
  return i.path === '' ? i.message : `${i.path}  ${i.message}`;
}

/** Several problems, one a line, as `eds validate` lists them. */
export function formatIssues(issues: readonly Pick<Issue, 'path' | 'message'>[]): string {
  return issues.map(formatIssue).join('\n');
}

/** A short, quoted rendering of a user's value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'object':
      return 'a mapping';
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return typeof value;
  }
}
