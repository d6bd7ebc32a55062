/**
 * `eds migrate` as users run it: the agent-executor example (its claim and report are committed
 * and must be what the command prints; `UPDATE_GOLDEN=1` rewrites them), the line counts the
 * README states, exit codes, `-o FILE`, `--format json`, and input that cannot be migrated.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eds, ROOT, STACK_FRAME } from './run.js';

const EXAMPLE = 'examples/migration/agent-executor';
const MANIFESTS = `${EXAMPLE}/manifests`;
const TESTDATA = 'packages/core/test/migrate/testdata';

function golden(file: string, actual: string): string {
  const path = join(ROOT, EXAMPLE, file);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

const tmp = () => mkdtempSync(join(tmpdir(), 'eds-migrate-'));

describe('eds migrate', () => {
  it('turns the agent-executor manifests into the committed claim and report, exit 0', async () => {
    const r = await eds(['migrate', MANIFESTS]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden('claim.yaml', r.stdout));
    expect(r.stderr).toBe(golden('report.txt', r.stderr));
    expect(r.stderr).toContain('0 lost');
  });

  it('measures the line counts the README states', async () => {
    const r = await eds(['migrate', MANIFESTS]);
    const measured = /(\d+) lines of manifests in (\d+) files → (\d+) lines of claim/.exec(
      r.stderr,
    );
    expect(measured).not.toBeNull();
    const [, before, files, after] = measured ?? [];
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' '); // prose wraps
    expect(readme).toContain(
      `${before} lines of hand-written manifests in ${files} files become a ${after}-line claim`,
    );
  });

  it('writes the claim with -o and prints the report on stdout', async () => {
    const out = join(tmp(), 'claim.yaml');
    const r = await eds(['migrate', MANIFESTS, '-o', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(golden('claim.yaml', readFileSync(out, 'utf8')));
    expect(r.stdout).toContain('Nothing is lost.');
    expect(r.stderr).toBe('');
  });

  it('prints one JSON document with --format json, claims included', async () => {
    const r = await eds(['migrate', '--format', 'json', MANIFESTS]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      lost: number;
      lines: { manifests: number; files: number; claims: number };
      services: { name: string; claim: { kind: string } }[];
    };
    expect(report.lost).toBe(0);
    expect(report.lines.files).toBe(4);
    expect(report.services.map((s) => [s.name, s.claim.kind])).toEqual([
      ['agent-executor', 'EventDrivenService'],
    ]);
  });

  it('exits 1 and says how to keep each thing that would be lost', async () => {
    const r = await eds(['migrate', `${TESTDATA}/lost-things/input`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('6 lost');
    expect(r.stderr).toContain('move the env var LOG_LEVEL into a Secret');
    expect(r.stderr).toContain('sidecar containers are not representable');
    const json = await eds(['migrate', '-f', 'json', `${TESTDATA}/lost-things/input`]);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { lost: number }).lost).toBe(6);
  });

  it('reads kubectl output from stdin', async () => {
    const text = readFileSync(join(ROOT, TESTDATA, 'kubectl-list/input/backup.yaml'), 'utf8');
    const r = await eds(['migrate', '-'], text);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('name: order-worker');
  });

  it.each([
    [['migrate', 'no/such/dir'], 'cannot read no/such/dir: no such file or directory'],
    [['migrate', `${TESTDATA}/no-deployment/input`], 'no Deployment in the input'],
    [['migrate', `${TESTDATA}/invalid-yaml/input`], 'broken.yaml:6:1'],
    [['migrate', '--format', 'xml', MANIFESTS], "'xml' is invalid"],
  ])('exits 2 with one clear line for %j', async (args, message) => {
    const r = await eds(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('exits 2 when the output file cannot be written', async () => {
    const r = await eds(['migrate', MANIFESTS, '-o', join(tmp(), 'missing-dir', 'claim.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^eds: cannot write .*claim\.yaml: no such file or directory\n$/);
  });
});
