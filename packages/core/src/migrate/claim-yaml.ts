/** Claims as YAML, and the line counts the migration guide quotes. */
import type { ClaimInput } from '../api/schema.js';
import { toSafeYaml } from '../source/stringify.js';

/**
 * One YAML document per claim, separated by `---`, in the order given; strings that kubectl
 * (YAML 1.1) would read as something else are quoted, so `kubectl apply` gets these claims.
 */
export function claimsToYaml(claims: readonly ClaimInput[]): string {
  return claims.map(toSafeYaml).join('---\n');
}

/** Lines that say something: neither blank, nor a comment, nor a document separator. */
export function countLines(text: string): number {
  return text.split('\n').filter((line) => {
    const t = line.trim();
    return t !== '' && !t.startsWith('#') && t !== '---';
  }).length;
}
