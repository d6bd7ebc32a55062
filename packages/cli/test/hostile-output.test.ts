/**
 * Values from a claim, file names from a directory walk and kinds and names from manifests
 * must reach the terminal and the CI log inert, in every format: no control character, no
 * bidirectional override, no line a GitHub runner would run as a workflow command (`::cmd` at
 * the start of a line after whitespace, `##[cmd]` anywhere).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { eds, type Run } from './run.js';

/** What an attacker puts in a pull request, with a name safe to print in test titles. */
const HOSTILE: readonly (readonly [string, string])[] = [
  ['retitle the terminal', '\u001b]0;retitled\u0007'],
  ['clear the screen', '\u001b[2J\u001b[H'],
  ['clear it with a C1 control', '\u009b2J'],
  ['a new line that is a workflow command', '\n::add-mask::hunter2'],
  ['a carriage return, then one', '\r::stop-commands::tok'],
  ['a line separator, then one', '\u2028::error::line separator'],
  ['the v1 command syntax, read anywhere in a line', '##[add-mask]v1 command'],
  ['a right-to-left override', '\u202egnp.exe'],
];

/** Characters that must not reach a terminal raw (newline only as the line break). */
const RAW =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** Our own annotations: `::error`/`::warning` with escaped properties, nothing else at a line start. */
const ANNOTATION = /^::(?:error|warning) file=[^:,\n]*(?:,line=\d+,col=\d+)?,title=[^:,\n]*::/;

function expectInert(run: Run, github = false): void {
  for (const stream of [run.stdout, run.stderr]) {
    for (const line of stream.split('\n')) {
      expect(line, `raw control character in ${JSON.stringify(line)}`).not.toMatch(RAW);
      expect(line, `v1 workflow command in ${JSON.stringify(line)}`).not.toContain('##[');
      if (line.trimStart().startsWith('::')) {
        expect(github, `workflow command in ${JSON.stringify(line)}`).toBe(true);
        expect(line).toMatch(ANNOTATION);
      }
    }
  }
}

const yamlString = (s: string) => JSON.stringify(s);

function hostileClaim(value: string): string {
  const v = yamlString(value);
  return [
    'apiVersion: platform.bizmatters.io/v1alpha1',
    'kind: EventDrivenService',
    'metadata:',
    `  name: ${v}`,
    '  namespace: workers',
    'spec:',
    `  image: ${v}`,
    `  secret1Name: ${v}`,
    `  secret2Name: ${v}`,
    '  secretRefs:',
    `    - name: ${v}`,
    '      env:',
    `        - { secretKey: a, envName: ${v} }`,
    `        - { secretKey: b, envName: ${v} }`,
    '  nats:',
    `    stream: ${v}`,
    `    consumer: ${v}`,
    `  ${v}: 1`,
    '',
  ].join('\n');
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'eds-hostile-'));
}

describe('output from hostile input', () => {
  it.each(HOSTILE)('eds validate and render print claim values inert: %s', async (_, value) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'claim.yaml'), hostileClaim(value));
    for (const format of ['text', 'json', 'github']) {
      const run = await eds(['validate', '--format', format, 'claim.yaml'], undefined, dir);
      expect(run.code).toBe(1);
      expectInert(run, format === 'github');
    }
    const render = await eds(['render', 'claim.yaml'], undefined, dir);
    expect(render.code).toBe(1);
    expectInert(render);
  });

  it('shows control characters visibly, so the reader still sees what was there', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'claim.yaml'), hostileClaim('\u001b[2J\n::add-mask::x'));
    const run = await eds(['validate', 'claim.yaml'], undefined, dir);
    expect(run.stdout).toContain('\\x1b[2J\\n::add-mask::x');
  });

  it('prints file names from a directory walk inert', async () => {
    const dir = tempDir();
    const names = ['::error file=a::pwned.yaml', '\u001b]0;t\u0007.yaml', 'x\n::add-mask::y.yaml'];
    for (const name of names) writeFileSync(join(dir, name), 'kind: [\n');
    for (const format of ['text', 'json', 'github']) {
      const run = await eds(['validate', '--format', format, '.'], undefined, dir);
      expect(run.code).toBe(1);
      expect(run.stdout.split('\n').filter((l) => l.includes('pwned')).length).toBeGreaterThan(0);
      expectInert(run, format === 'github');
    }
  });

  it('prints kinds and names from manifests inert in eds migrate', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'm'));
    const kinds = HOSTILE.map(([, h], i) =>
      [
        'apiVersion: v1',
        `kind: ${yamlString(`K${i}${h}`)}`,
        'metadata:',
        `  name: ${yamlString(h)}`,
        '---',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'm', 'all.yaml'), kinds.join('\n'));
    for (const format of ['text', 'json']) {
      const run = await eds(['migrate', '--format', format, 'm'], undefined, dir);
      expectInert(run);
    }
  });

  it('renders free-form strings (init container args) as YAML that is inert and reads back the same', async () => {
    const dir = tempDir();
    const args = HOSTILE.map(([, value]) => value);
    const script = 'set -e\n::add-mask::hunter2\n  ::stop-commands::tok\necho done';
    const claim = [
      'apiVersion: platform.bizmatters.io/v1alpha1',
      'kind: EventDrivenService',
      'metadata: {name: hostile, namespace: workers}',
      'spec:',
      '  image: ghcr.io/org/hostile:1',
      '  nats: {stream: S, consumer: c}',
      '  initContainer:',
      `    command: [${JSON.stringify('/bin/sh')}, "-c", ${JSON.stringify(script)}]`,
      `    args: [${args.map((a) => JSON.stringify(a)).join(', ')}]`,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'claim.yaml'), claim);
    const run = await eds(['render', 'claim.yaml'], undefined, dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expectInert(run);
    const deployment = run.stdout
      .split(/^---$/m)
      .map((d) => parse(d) as { kind: string; spec?: unknown })
      .find((d) => d.kind === 'Deployment');
    const init = (
      deployment as {
        spec: { template: { spec: { initContainers: { command: string[]; args: string[] }[] } } };
      }
    ).spec.template.spec.initContainers[0];
    expect(init?.command).toEqual(['/bin/sh', '-c', script]);
    expect(init?.args).toEqual(args);

    // eds migrate writes such strings back into a claim: the same rules.
    writeFileSync(join(dir, 'rendered.yaml'), run.stdout);
    const migrated = await eds(['migrate', 'rendered.yaml'], undefined, dir);
    expectInert(migrated);
    const back = parse(migrated.stdout) as { spec: { initContainer: { args: string[] } } };
    expect(back.spec.initContainer.args).toEqual(args);
  });
});
