import { stringify } from 'yaml';

/**
 * Objects as a multi-document YAML stream, as kubectl prints them: no anchors for repeated
 * values, no line folding, keys in the order the renderer built them.
 */
export function toYamlStream(objects: readonly unknown[]): string {
  return objects
    .map((o) => stringify(o, { aliasDuplicateObjects: false, lineWidth: 0 }))
    .join('---\n');
}
