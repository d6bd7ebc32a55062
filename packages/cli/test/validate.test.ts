import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eds, STACK_FRAME } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'eds-validate-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const invalid = file(
  'invalid.yaml',
  `apiVersion: platform.bizmatters.io/v1alpha1
kind: EventDrivenService
metadata:
  name: worker
spec:
  image: ghcr.io/org/worker:v1
  size: xlarge
  secret1name: db
  nats:
    stream: JOBS
---
apiVersion: v1
kind: ConfigMap
metadata: {name: unrelated}
`,
);

describe('eds validate', () => {
  it('accepts the examples directory, counting other documents as skipped', async () => {
    const r = await eds(['validate', 'examples']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(
      /^(\d+) claims in \d+ files: \1 valid(; \d+ other documents skipped)?\n$/,
    );
  });

  it('reports each problem with file, line, column, path and message, and exits 1', async () => {
    const r = await eds(['validate', invalid]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        `${invalid}:7:9  spec.size  "xlarge" is not one of small, medium, large`,
        `${invalid}:8:3  spec.secret1name  is not a field of spec; did you mean "secret1Name"?`,
        `${invalid}:9:3  spec.nats.consumer  is required`,
        '1 claim in 1 file: 0 valid, 1 invalid (3 problems); 1 other document skipped',
        '',
      ].join('\n'),
    );
  });

  it('locates a bad annotation key at the key, and an unquoted value at the value', async () => {
    const annotated = file(
      'annotated.yaml',
      `apiVersion: platform.bizmatters.io/v1alpha1
kind: EventDrivenService
metadata: {name: worker}
spec:
  image: ghcr.io/org/worker:v1
  nats: {stream: JOBS, consumer: workers}
  podAnnotations:
    sidecar.istio.io/inject: "true"
    bad key: x
    prometheus.io/scrape: true
    container.apparmor.security.beta.kubernetes.io/main: unconfined
`,
    );
    const r = await eds(['validate', annotated]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        `${annotated}:9:5  spec.podAnnotations["bad key"]  is not a valid annotation key: the key "bad key" must be letters, digits, "-", "_" and ".", starting and ending with a letter or digit, at most 63 characters (e.g. "sidecar.istio.io/inject")`,
        `${annotated}:10:27  spec.podAnnotations["prometheus.io/scrape"]  true must be a string, not a boolean; annotation values are strings, so quote it: "true"`,
        `${annotated}:11:5  spec.podAnnotations["container.apparmor.security.beta.kubernetes.io/main"]  is a Kubernetes pod-security annotation, and the platform sets the pods' security context itself (Pod Security Standards "restricted": RuntimeDefault seccomp, the runtime's default AppArmor profile); remove it`,
        '1 claim in 1 file: 0 valid, 1 invalid (3 problems)',
        '',
      ].join('\n'),
    );
  });

  it('warns, with line and column, about a field that has no effect, and exits 0', async () => {
    const inert = file(
      'inert.yaml',
      `apiVersion: platform.bizmatters.io/v1alpha1
kind: EventDrivenService
metadata: {name: worker}
spec: {image: ghcr.io/org/worker:v1, nats: {stream: JOBS, consumer: workers},
  scaling: {activationLagThreshold: 10}}
`,
    );
    const message =
      'spec.scaling.activationLagThreshold  10 has no effect unless minReplicas is 0 (it is 1, the default): KEDA uses it only to wake a service from zero replicas; set spec.scaling.minReplicas: 0, or remove activationLagThreshold';
    expect(await eds(['validate', inert])).toMatchObject({
      code: 0,
      stdout: '1 claim in 1 file: 1 valid\n',
      stderr: `warning: ${inert}:5:37  ${message}\n`,
    });
    const render = await eds(['render', inert]);
    expect(render.code).toBe(0);
    expect(render.stderr).toBe(`warning: ${inert}:5:37  ${message}\n`);
    expect(render.stdout).toContain('activationLagThreshold: "10"');
    const github = await eds(['validate', '--format', 'github', inert]);
    expect(github.stdout.split('\n')[0]).toBe(
      `::warning file=${inert},line=5,col=37,title=spec.scaling.activationLagThreshold::${message.split('  ')[1]}`,
    );
  });

  it('prints a machine-readable report with --format json', async () => {
    const r = await eds(['validate', '--format', 'json', invalid]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { problems: unknown[] };
    expect(report).toMatchObject({ files: 1, claims: 1, valid: 0, skipped: 1 });
    expect(report.problems[0]).toEqual({
      file: invalid,
      document: 0,
      line: 7,
      column: 9,
      path: 'spec.size',
      code: 'enum',
      message: '"xlarge" is not one of small, medium, large',
    });
  });

  it('prints GitHub workflow annotations with --format github', async () => {
    const r = await eds(['validate', '-f', 'github', invalid]);
    expect(r.stdout.split('\n')[0]).toBe(
      `::error file=${invalid},line=7,col=9,title=spec.size::"xlarge" is not one of small, medium, large`,
    );
  });

  it('reads stdin for "-"', async () => {
    const r = await eds(
      ['validate', '-'],
      'apiVersion: platform.bizmatters.io/v1alpha1\nkind: EventDrivenService\nmetadata: {name: w}\nspec: {image: "a:1", nats: {stream: S, consumer: c}}\n',
    );
    expect(r).toEqual({ code: 0, stdout: '1 claim in 1 file: 1 valid\n', stderr: '' });
  });

  it('walks directories recursively for *.yaml and *.yml', async () => {
    const nested = join(dir, 'tree', 'a', 'b');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(nested, 'x.yml'), 'kind: EventDrivenService\n');
    writeFileSync(join(nested, 'ignored.txt'), 'kind: EventDrivenService\n');
    const r = await eds(['validate', join(dir, 'tree')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join(nested, 'x.yml')}:1:1  apiVersion  is required`);
    expect(r.stdout).toContain('1 claim in 1 file: 0 valid, 1 invalid');
  });

  it.each([
    ['a YAML syntax error', 'spec: [unclosed\n', 'yaml-syntax'],
    ['a duplicate key', 'kind: EventDrivenService\nkind: EventDrivenService\n', 'duplicate-key'],
  ])('reports %s as a problem, not a crash', async (_what, text, code) => {
    const path = file(`${code}.yaml`, text);
    const r = await eds(['validate', '-f', 'json', path]);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { problems: { code: string }[] }).problems[0]?.code).toBe(code);
  });

  it.each([
    [
      'a missing file',
      ['validate', '/nonexistent/claim.yaml'],
      'cannot read /nonexistent/claim.yaml: no such file or directory',
    ],
    ['an unknown format', ['validate', '-f', 'xml', 'examples'], "argument 'xml' is invalid"],
    ['no paths', ['validate'], "missing required argument 'paths'"],
    ['an unknown option', ['validate', '--strict', 'examples'], "unknown option '--strict'"],
  ])('exits 2 on %s, with a message and no stack trace', async (_what, args, message) => {
    const r = await eds(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('survives binary garbage', async () => {
    const path = join(dir, 'garbage.yaml');
    writeFileSync(path, Buffer.from([0xff, 0xfe, 0x00, 0x3a, 0x7b, 0x5b, 0x0a, 0x2d, 0x2d]));
    const r = await eds(['validate', path]);
    expect([0, 1]).toContain(r.code);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});
