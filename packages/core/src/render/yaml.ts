import { toSafeYaml } from '../source/stringify.js';

/**
 * Objects as a multi-document YAML stream, as kubectl prints them: no anchors for repeated
 * values, no line folding, keys in the order the renderer built them, and every string that a
 * YAML 1.1 reader (kubectl) would read as something else quoted.
 */
export function toYamlStream(objects: readonly unknown[]): string {
  return objects.map(toSafeYaml).join('---\n');
}
