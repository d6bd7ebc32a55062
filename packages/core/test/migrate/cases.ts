/** Golden cases under `testdata/<case>/`: `input/` manifests, a `reason.txt`, expected output. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ManifestFile, MigrationReport } from '@eds/core';

export const TESTDATA = fileURLToPath(new URL('./testdata', import.meta.url));

/** `UPDATE_GOLDEN=1 npx vitest run packages/core/test/migrate` rewrites the expected files. */
export const UPDATE = process.env.UPDATE_GOLDEN === '1';

export interface Case {
  readonly name: string;
  readonly dir: string;
  readonly reason: string;
  readonly files: ManifestFile[];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

export function cases(): Case[] {
  return readdirSync(TESTDATA)
    .sort()
    .map((name) => {
      const dir = join(TESTDATA, name);
      const input = join(dir, 'input');
      return {
        name,
        dir,
        reason: readFileSync(join(dir, 'reason.txt'), 'utf8').trim(),
        files: walk(input).map((path) => ({
          name: relative(input, path),
          text: readFileSync(path, 'utf8'),
        })),
      };
    });
}

/** The expected file's content, written first when updating. */
export function golden(dir: string, file: string, actual: string): string | undefined {
  const path = join(dir, file);
  if (UPDATE) writeFileSync(path, actual);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** The report as the golden file holds it: plain JSON, claims left to expected.claim.yaml. */
export function reportJson(report: MigrationReport): string {
  const services = report.services.map((s) =>
    Object.fromEntries(Object.entries(s).filter(([key]) => key !== 'claim')),
  );
  return `${JSON.stringify({ ...report, services }, null, 2)}\n`;
}
