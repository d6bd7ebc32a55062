import type { Claim } from '@eds/core';
import { checkFile } from './claims.js';
import { UsageError } from './errors.js';
import { readInput } from './files.js';
import { formatReport, type Format, type Problem } from './report.js';
import { writeWarnings } from './warnings.js';

/**
 * The claims of one file, for the commands that act on them (render, scale, preflight): their
 * warnings written to stderr, and, when any claim is invalid, its problems written there in
 * `format` and `undefined` returned (the caller exits 1). No claim at all is a `UsageError`.
 */
export async function readValidClaims(
  name: string,
  format: Exclude<Format, 'json'> = 'text',
): Promise<Claim[] | undefined> {
  const file = await readInput(name);
  const docs = checkFile(file).filter((d) => d.status !== 'skipped');
  if (docs.length === 0) throw new UsageError('no-claim', `no EventDrivenService in ${name}`);
  writeWarnings(
    'text',
    docs.flatMap((d) => d.warnings.map((w) => ({ ...w, file: name, document: d.index }))),
  );
  const problems: Problem[] = docs.flatMap((d) =>
    d.status === 'invalid' ? d.issues.map((i) => ({ ...i, file: name, document: d.index })) : [],
  );
  const claims = docs.flatMap((d) => (d.status === 'valid' ? [d.claim] : []));
  if (problems.length === 0) return claims;
  const summary = { files: 1, claims: docs.length, valid: claims.length, skipped: 0 };
  process.stderr.write(formatReport(format, problems, summary));
  return undefined;
}
