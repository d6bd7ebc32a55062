/**
 * A fast first pass over YAML text, without positions. Most files in a repository are valid;
 * for those, positions are never needed, and js-yaml parses about ten times faster than the
 * position-tracking parser. Anything unusual falls back to `parseYamlDocuments`.
 */
import { FAILSAFE_SCHEMA, loadAll, Type } from 'js-yaml';
import { checkTextSize, checkValueLimits } from './limits.js';
import { kubectlScalar, ordinary, versionDependent } from './scalars.js';

/**
 * Anchors (`&a`), aliases (`*a`), tags (`!t`, `!!t`) and merge keys (`<<:`) take the careful
 * path: js-yaml shares aliased nodes (a crafted file could make validation walk an exponential
 * tree) and resolves tags and merges differently. Shell text such as `a && b` is not mistaken
 * for one.
 */
const UNUSUAL = /(?:^|[\s[{,])(?:[&*][^\s,[\]{}&*]|!|<<\s*:)/m;

/**
 * Set when the text holds an unquoted scalar whose type depends on the YAML version (the careful
 * parser warns about it), or a written null (`~`), which js-yaml turns into the key "null" where
 * the careful parser makes it "".
 */
let leaveToCareful = false;
const leftToCareful = (): boolean => leaveToCareful;
let resolved: { data: string; value: unknown } | undefined;

/**
 * Every plain scalar is resolved by `kubectlScalar`, as in the careful parser: the failsafe
 * schema reads everything as strings, and this one implicit type turns the rest into what
 * kubectl reads. Quoted scalars never reach it (js-yaml resolves only plain ones).
 */
const KUBECTL = new Type('tag:eds.bizmatters.io,2026:kubectl-scalar', {
  kind: 'scalar',
  resolve: (data: string) => {
    if (ordinary(data)) return false;
    const value = kubectlScalar(data);
    if ((value === null && data !== '') || versionDependent(data, value)) leaveToCareful = true;
    resolved = { data, value };
    return typeof value !== 'string';
  },
  // js-yaml calls construct right after a resolve that returned true, with the same data.
  construct: (data: string) => (resolved?.data === data ? resolved.value : kubectlScalar(data)),
});
const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [KUBECTL] });

/**
 * The documents of a YAML stream as plain values (empty documents left out), or `undefined`
 * when the text needs the careful parser: a syntax error, a duplicate key, anchors, tags, merge
 * keys, or a scalar whose type depends on the YAML version (the careful parser warns about it
 * with its position). Scalars mean what they mean to kubectl, as in the careful parser.
 * Throws `YamlLimitError` for documents over `YAML_LIMITS` (text over them that does not parse
 * here is refused by `parseYamlDocuments`).
 */
export function parseYamlValuesFast(text: string): unknown[] | undefined {
  checkTextSize(text);
  if (UNUSUAL.test(text)) return undefined;
  let documents: unknown[];
  leaveToCareful = false;
  try {
    documents = loadAll(text, undefined, { schema: SCHEMA });
  } catch {
    return undefined;
  }
  if (leftToCareful()) return undefined;
  checkValueLimits(documents);
  return documents.filter((v) => v !== null && v !== undefined);
}
