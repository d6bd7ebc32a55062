/**
 * Where a field sits, in two spellings: the display path people read
 * (`spec.template.spec.containers[name=app].env[name=LOG_LEVEL]`) and the shape rules match
 * (`spec template spec containers [@main] env [LOG_LEVEL]`), in which a list item is
 * `[@role]` when it plays a part the platform knows (the main container, port 8080, …) and
 * `[key]` otherwise.
 */
export type Shape = readonly string[];

const IDENT = /^[A-Za-z_$][\w$]*$/;

export function childPath(path: string, key: string): string {
  if (IDENT.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

export function itemPath(path: string, label: string): string {
  return `${path}[${label}]`;
}

export const isItem = (segment: string) => segment.startsWith('[') && segment.endsWith(']');

/** The key of a list item segment: `[LOG_LEVEL]` → `LOG_LEVEL`, `[@main]` → `@main`. */
export const itemKey = (segment: string | undefined) =>
  segment !== undefined && isItem(segment) ? segment.slice(1, -1) : undefined;

function tokens(pattern: string): string[] {
  return pattern.match(/\[[^\]]*\]|[^.[\]]+/g) ?? [];
}

const cache = new Map<string, string[]>();

/**
 * Matches a shape against a pattern: `a.b[@main].c`, where `*` is any one key, `[*]` any list
 * item, `{x,y}` one of several keys, `[{x,y}]` one of several items and `**` any number of
 * segments (including none).
 */
export function matches(pattern: string, shape: Shape): boolean {
  let p = cache.get(pattern);
  if (p === undefined) {
    p = tokens(pattern);
    cache.set(pattern, p);
  }
  return matchFrom(p, 0, shape, 0);
}

const oneOf = (token: string) =>
  token.startsWith('{') && token.endsWith('}') ? token.slice(1, -1).split(',') : [token];

function matchOne(token: string, segment: string): boolean {
  if (token === '*') return !isItem(segment);
  if (token === '[*]') return isItem(segment);
  if (isItem(token))
    return isItem(segment) && oneOf(token.slice(1, -1)).includes(segment.slice(1, -1));
  return !isItem(segment) && oneOf(token).includes(segment);
}

function matchFrom(p: readonly string[], i: number, shape: Shape, j: number): boolean {
  if (i === p.length) return j === shape.length;
  const token = p[i] ?? '';
  if (token === '**') {
    for (let k = j; k <= shape.length; k++) if (matchFrom(p, i + 1, shape, k)) return true;
    return false;
  }
  const segment = shape[j];
  return segment !== undefined && matchOne(token, segment) && matchFrom(p, i + 1, shape, j + 1);
}
