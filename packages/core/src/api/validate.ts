import { resolveSpec } from './defaults.js';
import { notAMapping, type Issue } from './issues.js';
import type { ClaimInput } from './schema.js';
import { semanticIssues } from './semantic.js';
import { structuralIssues } from './structural.js';
import type { Claim } from './types.js';
import { claimWarnings } from './warnings.js';

export type Validation =
  | {
      readonly ok: true;
      readonly claim: Claim;
      /** Fields that are valid but have no effect (code `no-effect`); the claim still renders. */
      readonly warnings: readonly Issue[];
    }
  | { readonly ok: false; readonly issues: readonly Issue[] };

/**
 * Decodes an untrusted EventDrivenService document (parsed YAML or JSON): every problem as
 * data, or the typed claim with defaults applied and its warnings. Never throws on any input.
 */
export function validateClaim(doc: unknown): Validation {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, issues: [notAMapping('the document', doc)] };
  }
  const issues = [...structuralIssues(doc), ...semanticIssues(doc)];
  if (issues.length > 0) return { ok: false, issues: dedupe(issues) };
  const claim = doc as ClaimInput;
  const spec = resolveSpec(claim.spec);
  return {
    ok: true,
    claim: {
      name: claim.metadata.name,
      ...(claim.metadata.namespace === undefined ? {} : { namespace: claim.metadata.namespace }),
      input: claim.spec,
      spec,
    },
    warnings: claimWarnings(claim.spec, spec),
  };
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
