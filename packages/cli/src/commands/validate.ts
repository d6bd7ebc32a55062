import { Option, type Command } from 'commander';
import { checkFile } from '../claims.js';
import { EXIT } from '../errors.js';
import { expandPaths, readInput } from '../files.js';
import { formatReport, FORMATS, type Format, type Problem } from '../report.js';
import { writeWarnings } from '../warnings.js';

/** Problems in reading order: file by file, document by document, line by line. */
function sortProblems(problems: Problem[]): Problem[] {
  const order = new Map<string, number>();
  for (const p of problems) if (!order.has(p.file)) order.set(p.file, order.size);
  const key = (p: Problem) => [order.get(p.file) ?? 0, p.document, p.line ?? 0, p.column ?? 0];
  return problems
    .map((p, i) => ({ p, k: [...key(p), i] }))
    .sort((a, b) => {
      for (let j = 0; j < a.k.length; j++) {
        const d = (a.k[j] ?? 0) - (b.k[j] ?? 0);
        if (d !== 0) return d;
      }
      return 0;
    })
    .map((x) => x.p);
}

export async function validatePaths(paths: readonly string[], format: Format): Promise<number> {
  const files = await expandPaths(paths);
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  let claims = 0;
  let valid = 0;
  let skipped = 0;
  for (const name of files) {
    const file = await readInput(name);
    for (const doc of checkFile(file)) {
      if (doc.status === 'skipped') {
        skipped++;
        continue;
      }
      claims++;
      for (const w of doc.warnings) warnings.push({ ...w, file: name, document: doc.index });
      if (doc.status === 'valid') valid++;
      else for (const i of doc.issues) problems.push({ ...i, file: name, document: doc.index });
    }
  }
  const summary = { files: files.length, claims, valid, skipped };
  writeWarnings(format, sortProblems(warnings));
  process.stdout.write(formatReport(format, sortProblems(problems), summary));
  return problems.length === 0 ? EXIT.ok : EXIT.problems;
}

export function registerValidate(eds: Command): void {
  eds
    .command('validate')
    .description(
      'check EventDrivenService claims in files or directories (*.yaml, *.yml; "-" reads stdin)',
    )
    .argument('<paths...>', 'files or directories')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(FORMATS).default('text'),
    )
    .action(async (paths: string[], opts: { format: Format }) => {
      process.exitCode = await validatePaths(paths, opts.format);
    });
}
