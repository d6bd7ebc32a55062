/**
 * The preview in docs/crossplane.md, run exactly as written: the `serve` block in the
 * background, then the `render` block, from a directory laid out like the repository root.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEALTH_CONDITION } from '@eds/core';
import { listening, parseYaml, stop, tempDir } from './crossplane.js';
import { BIN, REPO_ROOT } from './upstream.js';

const DOC = 'docs/crossplane.md';

/** The fenced `sh` block that follows `<!-- preview: NAME -->` in the doc. */
function block(doc: string, name: string): string {
  const marker = `<!-- preview: ${name} -->`;
  const at = doc.indexOf(marker);
  if (at < 0) throw new Error(`${DOC} has no ${marker}`);
  const m = /```sh\n([\s\S]*?)```/.exec(doc.slice(at));
  if (m?.[1] === undefined) throw new Error(`${DOC}: no sh block after ${marker}`);
  return m[1];
}

/** A scratch directory that looks like the repository root, so the doc's files land there. */
function workspace(): string {
  const dir = tempDir('preview');
  for (const entry of ['examples', 'package', 'node_modules', 'packages']) {
    symlinkSync(join(REPO_ROOT, entry), join(dir, entry));
  }
  mkdirSync(join(dir, 'conformance'));
  symlinkSync(BIN, join(dir, 'conformance', '.bin'));
  return dir;
}

function bash(script: string, cwd: string) {
  return spawn('bash', ['-euo', 'pipefail', '-c', script], {
    cwd,
    detached: true, // its own process group, so stopping it stops npx and node too
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe(`the preview in ${DOC}`, () => {
  it('runs as written and prints the XR with our condition and the five objects', async () => {
    const doc = readFileSync(join(REPO_ROOT, DOC), 'utf8');
    const serve = block(doc, 'serve');
    const render = block(doc, 'render');
    const cwd = workspace();
    const server = bash(serve, cwd);
    try {
      await listening(server, 'function listening', `${DOC} serve block`);
      const child = bash(render, cwd);
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, `${DOC} render block failed:\n${stderr}`).toBe(0);
      const [xr, ...composed] = parseYaml(stdout);
      const conditions = (xr?.['status'] as { conditions?: Record<string, unknown>[] }).conditions;
      console.log(
        `${DOC} preview: ${String(xr?.['kind'])} with ${composed.map((o) => String(o['kind'])).join(', ')}`,
      );
      expect(xr?.['kind']).toBe('EventDrivenService');
      expect(conditions?.find((c) => c['type'] === HEALTH_CONDITION)).toMatchObject({
        status: 'False',
        reason: 'Creating',
      });
      expect(composed.map((o) => o['kind']).sort()).toEqual([
        'Deployment',
        'PodDisruptionBudget',
        'ScaledObject',
        'Service',
        'ServiceAccount',
      ]);
    } finally {
      await stop(server, true);
    }
  });
});
