import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eds, ROOT, STACK_FRAME } from './run.js';

const golden = (name: string, target: string) =>
  readFileSync(join(ROOT, 'examples/rendered', `${name}.${target}.yaml`), 'utf8');

describe('eds render', () => {
  it.each(['minimal-claim', 'full-claim', 'agent-executor-claim', 'secretrefs-claim'])(
    'prints the golden objects for %s, for both targets',
    async (name) => {
      const v2 = await eds(['render', `examples/${name}.yaml`]);
      expect(v2).toEqual({ code: 0, stdout: golden(name, 'v2'), stderr: '' });
      const legacy = await eds(['render', '--target', 'legacy', `examples/${name}.yaml`]);
      expect(legacy).toEqual({ code: 0, stdout: golden(name, 'legacy'), stderr: '' });
    },
  );

  it('prints a kubectl List with -o json', async () => {
    const r = await eds(['render', '-o', 'json', 'examples/minimal-claim.yaml']);
    const list = JSON.parse(r.stdout) as { kind: string; items: { kind: string }[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => i.kind)).toEqual([
      'ServiceAccount',
      'Deployment',
      'Service',
      'ScaledObject',
      'PodDisruptionBudget',
    ]);
  });

  it('is deterministic: the same claim gives the same bytes', async () => {
    const a = await eds(['render', 'examples/full-claim.yaml']);
    const b = await eds(['render', 'examples/full-claim.yaml']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('prints the validation problems and exits 1 for an invalid claim', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'eds-render-')), 'bad.yaml');
    writeFileSync(
      path,
      readFileSync(join(ROOT, 'examples/minimal-claim.yaml'), 'utf8').replace(
        'size: small',
        'size: xlarge',
      ),
    );
    const r = await eds(['render', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `${path}:10:9  spec.size  "xlarge" is not one of small, medium, large\n1 claim in 1 file: 0 valid, 1 invalid (1 problem)\n`,
    );
  });

  it('exits 2 when the file holds no claim', async () => {
    const r = await eds(['render', '-'], 'apiVersion: v1\nkind: ConfigMap\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('eds: no EventDrivenService in -\n');
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('eds schema and eds generate', () => {
  it('prints the committed JSON Schema', async () => {
    const r = await eds(['schema']);
    expect(r.stdout).toBe(
      readFileSync(join(ROOT, 'schemas/eventdrivenservice.schema.json'), 'utf8'),
    );
  });

  it('finds every committed generated file up to date', async () => {
    const r = await eds(['generate', '--check']);
    expect(r).toMatchObject({ code: 0, stdout: 'generated files are up to date\n' });
  });

  it('writes into an empty root, then --check passes, and a changed file fails it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'eds-generate-'));
    expect((await eds(['generate', '--root', root])).code).toBe(0);
    expect((await eds(['generate', '--check', '--root', root])).code).toBe(0);
    writeFileSync(join(root, 'schemas/eventdrivenservice.schema.json'), '{}\n');
    const r = await eds(['generate', '--check', '--root', root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'schemas/eventdrivenservice.schema.json: out of date\nrun "npx eds generate" and commit the result\n',
    );
  });
});
