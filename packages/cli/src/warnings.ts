/**
 * Warnings (a claim is still valid with them) as validate and render print them: on stderr,
 * `warning: file:line:col  path  message`, or as `::warning` annotations with `--format github`.
 */
import { githubLine, problemLine, type Format, type Problem } from './report.js';
import { printableLines } from './terminal.js';

export function writeWarnings(format: Format, warnings: readonly Problem[]): void {
  if (warnings.length === 0) return;
  if (format === 'github') {
    const lines = warnings.map((w) => githubLine(w).replace(/^::error /, '::warning '));
    process.stdout.write(lines.map((l) => `${l}\n`).join(''));
  } else {
    process.stderr.write(printableLines(warnings.map((w) => `warning: ${problemLine(w)}`)));
  }
}
