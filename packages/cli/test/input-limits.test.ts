import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eds, STACK_FRAME } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'eds-limits-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const HEAD = `apiVersion: platform.bizmatters.io/v1alpha1
kind: EventDrivenService
metadata: {name: w}
spec:
  image: ghcr.io/org/w:1
  nats: {stream: S, consumer: c}
`;
const BYTES = 'larger than 4 MiB, the limit for one input; split it into smaller files';
const NODES =
  'more than 100,000 keys, values and list items, the limit for one input; split it into smaller files';
const DEPTH =
  'nested more than 100 levels deep, the limit for one input; no Kubernetes object nests this deep, so check that this is the file you meant';

describe('input limits', { timeout: 60_000 }, () => {
  const cases: [string, string[], string, string][] = [
    ['validate /dev/zero', ['validate', '/dev/zero'], '/dev/null', `/dev/zero: ${BYTES}`],
    ['validate - from /dev/zero', ['validate', '-'], '/dev/zero', `stdin: ${BYTES}`],
    ['render - from /dev/zero', ['render', '-'], '/dev/zero', `stdin: ${BYTES}`],
    ['migrate - from /dev/zero', ['migrate', '-'], '/dev/zero', `stdin: ${BYTES}`],
  ];
  it.each(cases)('%s stops reading at the byte limit', async (_what, args, stdin, message) => {
    const r = await eds(args, { path: stdin });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `eds: ${message}\n` });
  });

  const flow = file('flow.yaml', `${HEAD}  extra: [${'1,'.repeat(5_000_000)}1]\n`);
  const keys = file(
    'keys.yaml',
    HEAD + Array.from({ length: 80_000 }, (_, i) => `  k${i}: 1\n`).join(''),
  );
  const items = file('items.yaml', `${HEAD}  extra: [${'1,'.repeat(200_000)}1]\n`);
  const deep = file('deep.yaml', `${HEAD}  extra: ${'['.repeat(50_000)}\n`);
  const nested = file(
    'nested.yaml',
    `${HEAD}  extra:\n${Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i + 2)}k:\n`).join('')}`,
  );
  it.each([
    ['a 10 MB flow list', flow, BYTES],
    ['80,000 keys in one mapping', keys, NODES],
    ['a 200,000-item flow list', items, NODES],
    ['50,000 unclosed brackets', deep, DEPTH],
    ['200 nested mappings', nested, DEPTH],
  ])(
    'refuses %s in one line, exit 2, for validate, render and migrate',
    async (_what, path, message) => {
      for (const command of ['validate', 'render', 'migrate']) {
        const r = await eds([command, path]);
        expect(r.stderr).not.toMatch(STACK_FRAME);
        expect({ command, ...r }).toEqual({
          command,
          code: 2,
          stdout: '',
          stderr: `eds: ${path}: ${message}\n`,
        });
      }
    },
  );
  const deepJson = file(
    'deep.json',
    `{"kind": "Deployment", "metadata": {"name": "a"}, "spec": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
  );
  const wideJson = file('wide.json', `[${'1,'.repeat(150_000)}1]`);
  it.each([
    ['200,000 nested JSON lists', deepJson, DEPTH],
    ['a 150,000-item JSON list', wideJson, NODES],
  ])('refuses %s to migrate in one line, exit 2', async (_what, path, message) => {
    const r = await eds(['migrate', path]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `eds: ${path}: ${message}\n` });
  });
});
