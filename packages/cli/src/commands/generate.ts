import type { Command } from 'commander';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EXIT } from '../errors.js';

async function current(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes every generated file under `root`, or with `check` lists the stale ones and fails. */
export async function generate(root: string, check: boolean): Promise<number> {
  // Loaded on demand: the schema builder is not needed by the everyday commands.
  const { generatedFiles } = await import('@eds/core/definition');
  const stale: string[] = [];
  for (const [path, content] of generatedFiles()) {
    const target = join(root, path);
    if ((await current(target)) === content) continue;
    stale.push(path);
    if (!check) {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  }
  if (check) {
    if (stale.length === 0) {
      process.stdout.write('generated files are up to date\n');
      return EXIT.ok;
    }
    process.stderr.write(
      `${stale.map((p) => `${p}: out of date\n`).join('')}run "npx eds generate" and commit the result\n`,
    );
    return EXIT.problems;
  }
  process.stdout.write(
    stale.length === 0 ? 'nothing to do\n' : stale.map((p) => `wrote ${p}\n`).join(''),
  );
  return EXIT.ok;
}

export function registerGenerate(eds: Command): void {
  eds
    .command('generate')
    .description(
      'write the generated files (JSON Schema, API reference, Crossplane packages) into the repository',
    )
    .option('--check', 'only verify that the committed files are up to date (for CI)')
    .option('--root <dir>', 'repository root', '.')
    .action(async (opts: { check?: boolean; root: string }) => {
      process.exitCode = await generate(opts.root, opts.check === true);
    });
}
