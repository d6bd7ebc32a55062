/**
 * Structural validation against the published JSON Schema, with ajv: the same schema users
 * run in their editors and CI, so both always agree. Ajv's errors become our issues.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { describeType, issue, show, type Issue, type Segment } from './issues.js';
// The published schema, as generated from schema.ts and committed (a test keeps it fresh).
// Loading it as data keeps the TypeBox builder out of every validation run.
import claimSchema from './claim.schema.json' with { type: 'json' };
import { MAX_NAME_LENGTH, SCALER_SUFFIX, STRING_RULES } from './rules.js';
import { closest } from './suggest.js';

let ajv: Ajv | undefined;
const compiled = new Map<object, ValidateFunction>();

/** The `maxLength` that goes with each rule's pattern. */
const LIMIT_BY_PATTERN = new Map(STRING_RULES.map((r) => [r.pattern, r.maxLength]));

/** Code points in `s`: a surrogate pair is one (ajv's maxLength counts code points). */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * Ajv's regular expressions, with the length checked first: a string longer than its field
 * allows fails `maxLength` anyway, so its pattern is never run on it (with `allErrors` ajv
 * would otherwise match a megabyte against it). The too-long issue is the one reported.
 * `toString` is the pattern's, because ajv caches compiled patterns by it; `test` calls a plain
 * RegExp, which keeps V8's fast path.
 */
const lengthFirst = Object.assign(
  (pattern: string, flags: string) => {
    const re = new RegExp(pattern, flags);
    const limit = LIMIT_BY_PATTERN.get(pattern) ?? Number.POSITIVE_INFINITY;
    return {
      test(s: string): boolean {
        // maxLength counts code points: at least half the UTF-16 units, at most all of them.
        if (s.length > limit && (s.length > 2 * limit || codePoints(s) > limit)) return false;
        return re.test(s);
      },
      toString: () => re.toString(),
    };
  },
  // Only read by ajv's standalone code generation, which this module does not use.
  { code: 'lengthFirst' },
);

function validator(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    ajv ??= new Ajv({
      allErrors: true,
      verbose: true,
      strict: true,
      code: { regExp: lengthFirst },
    });
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

const RULE_BY_PATTERN = new Map(STRING_RULES.map((r) => [r.pattern, r.rule]));

function segments(instancePath: string): Segment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

function parentName(at: readonly Segment[], root: string): string {
  const last = at.at(-1);
  return last === undefined ? root : typeof last === 'number' ? 'this item' : last;
}

function toIssue(e: ErrorObject, root: string): Issue | undefined {
  const at = segments(e.instancePath);
  const value: unknown = e.data;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const field = String(params.missingProperty);
      return issue('required', [...at, field], 'is required');
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const props = (e.parentSchema as { properties?: Record<string, unknown> }).properties ?? {};
      const known = Object.keys(props);
      const hint = closest(field, known);
      const tail =
        hint === undefined
          ? `known fields are ${known.join(', ')}`
          : `did you mean ${JSON.stringify(hint)}?`;
      return issue(
        'unknown-field',
        [...at, field],
        `is not a field of ${parentName(at, root)}; ${tail}`,
      );
    }
    case 'type':
      return issue(
        'type',
        at,
        `${show(value)} must be ${article(String(params.type))}, not ${describeType(value)}${quoteHint(at, value)}`,
      );
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String).join(', ');
      return issue('enum', at, `${show(value)} is not one of ${allowed}`);
    }
    case 'const':
      return issue('const', at, `${show(value)} must be ${show(params.allowedValue)}`);
    case 'pattern': {
      const rule = RULE_BY_PATTERN.get(String(params.pattern)) ?? `match ${String(params.pattern)}`;
      return issue('pattern', at, `${show(value)} is not valid: it must be ${rule}`);
    }
    case 'minLength':
      return issue('empty', at, 'must not be empty');
    case 'maxLength':
      return issue('too-long', at, tooLong(at, value, Number(params.limit)));
    case 'minItems':
      return issue('empty', at, 'must list at least one item; remove the field to omit it');
    case 'minProperties':
      return issue(
        'empty',
        at,
        at.at(-1) === 'initContainer'
          ? 'needs a command or args (or remove initContainer)'
          : 'must not be empty',
      );
    case 'minimum':
    case 'maximum':
      return issue(
        'range',
        at,
        `${show(value)} is ${e.keyword === 'minimum' ? 'below the minimum' : 'above the maximum'} ${String(params.limit)}`,
      );
    case 'if':
    case 'anyOf':
      return undefined;
    default:
      return issue('type', at, e.message ?? 'is invalid');
  }
}

/**
 * An annotation or label value YAML read as a boolean or number (`prometheus.io/scrape: true`),
 * which Kubernetes refuses as well: the fix is quotes.
 */
function quoteHint(at: readonly Segment[], value: unknown): string {
  if (typeof value !== 'boolean' && typeof value !== 'number') return '';
  if (at.join('.') === 'spec.metrics.serviceMonitor.interval' && typeof value === 'number') {
    return `; a Prometheus duration is a string with its unit, e.g. "${value}s"`;
  }
  const path = at.slice(0, -1).join('.');
  const what =
    path === 'spec.podAnnotations'
      ? 'annotation'
      : path === 'spec.metrics.serviceMonitor.labels'
        ? 'label'
        : undefined;
  if (what === undefined) return '';
  return `; ${what} values are strings, so quote it: ${JSON.stringify(String(value))}`;
}

function article(type: string): string {
  const name = type === 'object' ? 'mapping' : type === 'array' ? 'list' : type;
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

function tooLong(at: readonly Segment[], value: unknown, limit: number): string {
  const length = typeof value === 'string' ? value.length : 0;
  const base = `is ${length} characters long; the limit is ${limit}`;
  if (at.join('.') === 'metadata.name' && limit === MAX_NAME_LENGTH) {
    return `${base} so that "<name>${SCALER_SUFFIX}", the ScaledObject's name, fits in 63`;
  }
  return base;
}

/** Schema problems listed for one document, at most; the rest are counted in one more issue. */
export const MAX_LISTED = 1_000;

/**
 * Checks `doc` against a generated JSON Schema; returns every problem found (up to
 * `MAX_LISTED`). `root` names the
 * whole document in messages ("is not a field of the document").
 */
export function schemaIssues(schema: object, doc: unknown, root = 'the document'): Issue[] {
  const validate = validator(schema);
  if (validate(doc)) return [];
  const out: Issue[] = [];
  const errors = validate.errors ?? [];
  const tooLong = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'maxLength') tooLong.add(e.instancePath);
  }
  // A string over its length limit is not matched against its pattern (see lengthFirst), and
  // `if`/`anyOf` only repeat the errors of their branches.
  const reported = errors.filter(
    (e) =>
      !(e.keyword === 'pattern' && tooLong.has(e.instancePath)) &&
      e.keyword !== 'if' &&
      e.keyword !== 'anyOf',
  );
  for (const e of reported.slice(0, MAX_LISTED)) {
    const found = toIssue(e, root);
    if (found !== undefined) out.push(found);
  }
  if (reported.length > MAX_LISTED) {
    // Each issue costs a suggestion and, in the CLI, a source position; a document with
    // thousands of problems is not going to be fixed one by one anyway.
    const unlisted = reported.length - MAX_LISTED;
    out.push({
      ...issue(
        'too-many',
        [],
        `${unlisted} more problems in this document are not listed (at most ${MAX_LISTED} are); fix the listed ones first`,
      ),
      unlisted,
    });
  }
  return out;
}

/** Checks `doc` against the published schema; returns every problem found. */
export function structuralIssues(doc: unknown): Issue[] {
  return schemaIssues(claimSchema, doc);
}
