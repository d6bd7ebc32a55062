/** Claims as YAML, and the line counts the migration guide quotes. */
import { stringify } from 'yaml';
import type { ClaimInput } from '../api/schema.js';

/** One YAML document per claim, separated by `---`, in the order given. */
export function claimsToYaml(claims: readonly ClaimInput[]): string {
  return claims
    .map((c) => stringify(c, { aliasDuplicateObjects: false, lineWidth: 0 }))
    .join('---\n');
}

/** Lines that say something: neither blank, nor a comment, nor a document separator. */
export function countLines(text: string): number {
  return text.split('\n').filter((line) => {
    const t = line.trim();
    return t !== '' && !t.startsWith('#') && t !== '---';
  }).length;
}
