/**
 * Reads claims out of YAML files: each document is skipped, invalid (with located issues) or
 * valid; a claim's warnings name fields whose value depends on the YAML version (`no`, `017`)
 * and fields that have no effect (`validateClaim`'s warnings).
 */
import {
  API_GROUP,
  KIND,
  parseYamlDocuments,
  parseYamlValuesFast,
  validateClaim,
  YamlLimitError,
  type Claim,
  type Issue,
  type LocatedIssue,
} from '@eds/core';
import { UsageError } from './errors.js';
import type { InputFile } from './files.js';

export type DocumentResult =
  | { readonly status: 'skipped'; readonly index: number }
  | {
      readonly status: 'invalid';
      readonly index: number;
      readonly issues: readonly LocatedIssue[];
      readonly warnings: readonly LocatedIssue[];
    }
  | {
      readonly status: 'valid';
      readonly index: number;
      readonly claim: Claim;
      readonly warnings: readonly LocatedIssue[];
    };

/** Documents of other kinds are not ours to judge; anything in our API group is. */
function isClaimDocument(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { kind, apiVersion } = value as { kind?: unknown; apiVersion?: unknown };
  return (
    kind === KIND || (typeof apiVersion === 'string' && apiVersion.startsWith(`${API_GROUP}/`))
  );
}

/**
 * Checks every document of a file. Valid files take a fast path without positions; a file
 * with any problem is parsed again with positions, and that second reading is the one reported.
 * A file over the input limits (`YAML_LIMITS`) is a `UsageError` naming it (exit 2).
 */
export function checkFile(file: InputFile): DocumentResult[] {
  try {
    return check(file);
  } catch (e) {
    if (e instanceof YamlLimitError) {
      throw new UsageError('limit', `${file.name}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

function check(file: InputFile): DocumentResult[] {
  const values = parseYamlValuesFast(file.text);
  if (values !== undefined) {
    const quick = values.map((value, index): DocumentResult => {
      if (!isClaimDocument(value)) return { status: 'skipped', index };
      const result = validateClaim(value);
      // The fast path leaves every file with a version-dependent scalar to the careful one.
      return result.ok
        ? { status: 'valid', index, claim: result.claim, warnings: result.warnings }
        : { status: 'invalid', index, issues: [], warnings: [] };
    });
    // Problems and warnings are reported with line and column, which the careful reading finds.
    const clean = (d: DocumentResult) =>
      d.status === 'skipped' || (d.status === 'valid' && d.warnings.length === 0);
    if (quick.every(clean)) return quick;
  }
  return checkFileWithPositions(file, values !== undefined);
}

function checkFileWithPositions(file: InputFile, limitsChecked: boolean): DocumentResult[] {
  return parseYamlDocuments(file.text, { limitsChecked }).map((doc): DocumentResult => {
    const { index, warnings } = doc;
    if (doc.issues.length > 0)
      return { status: 'invalid', index, issues: doc.issues, warnings: [] };
    if (!isClaimDocument(doc.value)) return { status: 'skipped', index };
    const result = validateClaim(doc.value);
    const located = (i: Issue) => ({ ...i, ...doc.locate(i.at, i.code) });
    if (result.ok) {
      const all = [...warnings, ...result.warnings.map(located)];
      return { status: 'valid', index, claim: result.claim, warnings: all };
    }
    return { status: 'invalid', index, issues: result.issues.map(located), warnings };
  });
}
