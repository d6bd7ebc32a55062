/**
 * `eds migrate PATH…`: hand-written manifests → claims, and a parity report. The claims go to
 * stdout (or `-o FILE`, several services as one multi-document file); the text report goes to
 * stderr, or to stdout when the claims went to a file. `--format json` prints one JSON document
 * on stdout, claims included. Exit 0: nothing lost; 1: something
 * would be lost; 2: bad usage or input that cannot be migrated.
 */
import {
  claimsToYaml,
  countLines,
  migrate,
  type ManifestFile,
  type MigrationReport,
} from '@eds/core';
import { Option, type Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { EXIT, UsageError } from '../errors.js';
import { expandPaths, MANIFEST_FILES, readInput } from '../files.js';
import { printableJson } from '../terminal.js';
import { formatMigrationText, formatProblemsText, type LineCounts } from '../migrate-text.js';

export const MIGRATE_FORMATS = ['text', 'json'] as const;
type MigrateFormat = (typeof MIGRATE_FORMATS)[number];

function reason(cause: unknown): string {
  const code = (cause as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Directories become their `*.yaml`, `*.yml` and `*.json` files, recursively and sorted,
 * following symbolic links as `eds validate` does.
 */
export function manifestPaths(paths: readonly string[]): Promise<string[]> {
  return expandPaths(paths, MANIFEST_FILES);
}

interface MigrateOptions {
  readonly format: MigrateFormat;
  readonly output?: string;
}

function jsonReport(report: MigrationReport, lines: LineCounts): string {
  const { lost, services, leftovers } = report;
  return printableJson({ lost, lines, services, leftovers });
}

export async function migratePaths(
  paths: readonly string[],
  opts: MigrateOptions,
): Promise<number> {
  const files: ManifestFile[] = [];
  for (const name of await manifestPaths(paths)) files.push(await readInput(name));
  const result = migrate(files);
  if (!result.ok) {
    if (opts.format === 'json') {
      process.stdout.write(printableJson({ problems: result.problems }));
    } else {
      process.stderr.write(formatProblemsText(result.problems));
    }
    return EXIT.usage;
  }
  const { report } = result;
  const claims = claimsToYaml(report.services.map((s) => s.claim));
  const lines: LineCounts = {
    manifests: files.reduce((n, f) => n + countLines(f.text), 0),
    files: files.length,
    claims: countLines(claims),
  };
  const text =
    opts.format === 'json' ? jsonReport(report, lines) : formatMigrationText(report, lines);
  if (opts.output === undefined && opts.format === 'json') {
    process.stdout.write(text); // the claims are in it, under services[].claim
  } else if (opts.output === undefined) {
    process.stdout.write(claims);
    process.stderr.write(text);
  } else {
    try {
      await writeFile(opts.output, claims);
    } catch (e) {
      throw new UsageError('io', `cannot write ${opts.output}: ${reason(e)}`, { cause: e });
    }
    process.stdout.write(text);
  }
  return report.lost === 0 ? EXIT.ok : EXIT.problems;
}

export function registerMigrate(eds: Command): void {
  eds
    .command('migrate')
    .description(
      'turn hand-written manifests (files, directories, kubectl get -o yaml/json output; "-" reads stdin) into EventDrivenService claims, with a parity report',
    )
    .argument('<paths...>', 'manifest files or directories (*.yaml, *.yml, *.json)')
    .option(
      '-o, --output <file>',
      'write the claims to this file (one YAML document per service) and the report to stdout',
    )
    .addOption(
      new Option('-f, --format <format>', 'report format').choices(MIGRATE_FORMATS).default('text'),
    )
    .action(async (paths: string[], opts: MigrateOptions) => {
      process.exitCode = await migratePaths(paths, opts);
    });
}
