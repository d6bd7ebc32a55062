/**
 * A fast first pass over YAML text, without positions. Most files in a repository are valid;
 * for those, positions are never needed, and js-yaml parses about ten times faster than the
 * position-tracking parser. Anything unusual falls back to `parseYamlDocuments`.
 */
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { checkTextSize, checkValueLimits } from './limits.js';

/**
 * Anchors (`&a`), aliases (`*a`) and tags (`!t`, `!!t`) take the careful path: js-yaml shares
 * aliased nodes (a crafted file could make validation walk an exponential tree) and resolves
 * tags differently. Shell text such as `a && b` is not mistaken for one.
 */
const UNUSUAL = /(?:^|[\s[{,])(?:[&*][^\s,[\]{}&*]|!)/m;

/**
 * The documents of a YAML stream as plain values (empty documents left out), or `undefined`
 * when the text needs the careful parser: a syntax error, a duplicate key, anchors or tags.
 * Uses the YAML 1.2 core schema, as the careful parser does, so both read the same values.
 * Throws `YamlLimitError` for documents over `YAML_LIMITS` (text over them that does not parse
 * here is refused by `parseYamlDocuments`).
 */
export function parseYamlValuesFast(text: string): unknown[] | undefined {
  checkTextSize(text);
  if (UNUSUAL.test(text)) return undefined;
  let documents: unknown[];
  try {
    documents = loadAll(text, undefined, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  checkValueLimits(documents);
  return documents.filter((v) => v !== null && v !== undefined);
}
