import { parseYamlDocuments } from '@eds/core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eds } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'eds-kubectl-yaml-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const claim = (nats: string, extra = '') => `apiVersion: platform.bizmatters.io/v1alpha1
kind: EventDrivenService
metadata: {name: w, namespace: "on"}
spec:
  image: ghcr.io/org/w:1
  nats: ${nats}
${extra}`;

const unquoted = file('unquoted.yaml', claim('{stream: S, consumer: no}'));
const octal = file(
  'octal.yaml',
  claim('{stream: "NO", consumer: "yes"}', '  scaling:\n    lagThreshold: 017\n'),
);

describe('YAML as kubectl reads it', () => {
  it('reads consumer: no as kubectl does (false, not a string) and says how to fix it', async () => {
    const r = await eds(['validate', unquoted]);
    expect(r).toEqual({
      code: 1,
      stdout: `${unquoted}:6:31  spec.nats.consumer  false must be a string, not a boolean\n1 claim in 1 file: 0 valid, 1 invalid (1 problem)\n`,
      stderr: `warning: ${unquoted}:6:31  spec.nats.consumer  no is read as boolean false by kubectl (YAML 1.1) but as the string "no" by YAML 1.2 tools; quote it ("no") if you mean the string, or write false if you mean the boolean\n`,
    });
  });

  it('warns about a valid claim whose number depends on the YAML version, as an annotation in CI', async () => {
    const text = await eds(['validate', octal]);
    expect(text).toMatchObject({ code: 0, stdout: '1 claim in 1 file: 1 valid\n' });
    expect(text.stderr).toBe(
      `warning: ${octal}:8:19  spec.scaling.lagThreshold  017 is read as number 15 by kubectl (YAML 1.1) but as number 17 by YAML 1.2 tools; quote it ("017") if you mean the string, or write 15 if you mean the number\n`,
    );
    const github = await eds(['validate', '--format', 'github', octal]);
    expect(github.stdout.split('\n')[0]).toBe(
      `::warning file=${octal.replaceAll(':', '%3A')},line=8,col=19,title=spec.scaling.lagThreshold::017 is read as number 15 by kubectl (YAML 1.1) but as number 17 by YAML 1.2 tools; quote it ("017") if you mean the string, or write 15 if you mean the number`,
    );
  });

  it('renders the lag threshold kubectl reads, and quotes every string a YAML 1.1 reader would misread', async () => {
    const r = await eds(['render', octal]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: .*spec\.scaling\.lagThreshold {2}017 is read as number 15/);
    expect(r.stdout).toContain('  namespace: "on"\n');
    expect(r.stdout).toContain('lagThreshold: "15"');
    const objects = parseYamlDocuments(r.stdout).map(
      (d) => d.value as { metadata: { namespace: string } },
    );
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['on']));
    const env = JSON.stringify(objects);
    expect(env).toContain('"value":"NO"');
    expect(env).toContain('"value":"yes"');
  });
});
