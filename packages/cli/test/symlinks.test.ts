import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eds, ROOT } from './run.js';

const claim = (name: string, extra = '') => `apiVersion: platform.bizmatters.io/v1alpha1
kind: EventDrivenService
metadata: {name: ${name}}
spec:
  image: ghcr.io/org/${name}:1
  nats: {stream: S, consumer: c}
${extra}`;

/** A fresh tree: `files` maps relative paths to text (a string) or to a link target ({to}). */
function tree(files: Record<string, string | { to: string }>): string {
  const root = mkdtempSync(join(tmpdir(), 'eds-symlinks-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    if (typeof content === 'string') writeFileSync(full, content);
    else symlinkSync(content.to, full);
  }
  return root;
}

describe('eds validate follows symbolic links', () => {
  it('validates a claim linked from elsewhere (prod.yaml -> ../shared/bad.yaml)', async () => {
    const root = tree({
      'shared/bad.yaml': claim('bad', '  size: xlarge\n'),
      'app/prod.yaml': { to: '../shared/bad.yaml' },
    });
    const r = await eds(['validate', join(root, 'app')]);
    expect(r).toEqual({
      code: 1,
      stdout: `${join(root, 'app/prod.yaml')}:7:9  spec.size  "xlarge" is not one of small, medium, large\n1 claim in 1 file: 0 valid, 1 invalid (1 problem)\n`,
      stderr: '',
    });
  });

  it('walks linked directories once each, whatever loops the links make', async () => {
    const root = tree({
      'app/a.yaml': claim('a'),
      'app/self': { to: '.' },
      'app/up': { to: '..' },
      'app/lib': { to: '../lib' },
      'app/lib-again': { to: '../lib' },
      'lib/b.yaml': claim('b'),
      'lib/back': { to: '../app' },
    });
    const r = await eds(['validate', join(root, 'app')]);
    expect(r).toEqual({ code: 0, stdout: '2 claims in 2 files: 2 valid\n', stderr: '' });
  });

  it.each([
    ['to nothing', '../missing.yaml', 'does not exist'],
    ['in a loop', 'loop.yaml', 'is a loop of links'],
  ])(
    'refuses a link named *.yaml that points %s, naming it (exit 2)',
    async (_what, target, why) => {
      const root = tree({ 'a.yaml': claim('a'), 'loop.yaml': { to: target } });
      const r = await eds(['validate', root]);
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr: `eds: cannot read ${join(root, 'loop.yaml')}: it is a symbolic link to ${target}, which ${why}; fix or remove the link\n`,
      });
    },
  );

  it('ignores a dangling link that is not named like YAML, as it ignores other files', async () => {
    const root = tree({ 'a.yaml': claim('a'), README: { to: 'nowhere' } });
    expect(await eds(['validate', root])).toEqual({
      code: 0,
      stdout: '1 claim in 1 file: 1 valid\n',
      stderr: '',
    });
  });
});

describe('eds migrate follows symbolic links', () => {
  it('reads manifests linked from elsewhere, JSON included, as the same walk as validate', async () => {
    const manifests = join(ROOT, 'packages/core/test/migrate/testdata/no-scaledobject/input');
    const root = tree({
      'app/all.yaml': { to: join(manifests, 'all.yaml') },
      'app/self': { to: '.' },
      'app/broken.json': { to: 'nowhere.json' },
    });
    const r = await eds(['migrate', '--format', 'json', join(root, 'app')]);
    expect(r.stderr).toBe(
      `eds: cannot read ${join(root, 'app/broken.json')}: it is a symbolic link to nowhere.json, which does not exist; fix or remove the link\n`,
    );
    expect(r.code).toBe(2);
    rmSync(join(root, 'app/broken.json'));
    const ok = await eds(['migrate', '--format', 'json', join(root, 'app')]);
    expect(ok.stderr).toBe('');
    const report = JSON.parse(ok.stdout) as { lines: { files: number }; services: unknown[] };
    expect(report.lines.files).toBe(1);
    expect(report.services).toHaveLength(1);
  });
});
