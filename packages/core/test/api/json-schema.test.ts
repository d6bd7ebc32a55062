/**
 * The published JSON Schema must work unchanged with the tools users already have: here
 * ajv-cli with its defaults (strict mode), as in the seed's CI script, and with --strict=false.
 */
import { claimJsonSchema } from '@eds/core/definition';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const schema = join(root, 'schemas/eventdrivenservice.schema.json');
const ajvCli = join(root, 'node_modules/ajv-cli/dist/index.js');

function ajv(data: string, ...flags: string[]) {
  const r = spawnSync(process.execPath, [ajvCli, 'validate', '-s', schema, '-d', data, ...flags], {
    encoding: 'utf8',
  });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

const examples = readdirSync(join(root, 'examples'))
  .filter((f) => f.endsWith('-claim.yaml'))
  .map((f) => join(root, 'examples', f));

describe('the published schema with ajv-cli', () => {
  it('is the committed file', () => {
    expect(JSON.parse(readFileSync(schema, 'utf8'))).toEqual(claimJsonSchema());
  });

  it.each(examples.map((e) => [e.slice(root.length)]))('accepts %s in strict mode', (file) => {
    expect(ajv(join(root, file))).toEqual({ code: 0, output: `${join(root, file)} valid\n` });
  });

  it.each([[[]], [['--strict=false']]])('rejects a wrong size (flags %j)', (flags: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'eds-ajv-'));
    const bad = join(dir, 'claim.json');
    const claim = {
      apiVersion: 'platform.bizmatters.io/v1alpha1',
      kind: 'EventDrivenService',
      metadata: { name: 'w' },
      spec: { image: 'a:1', size: 'xlarge', nats: { stream: 'S', consumer: 'c' } },
    };
    writeFileSync(bad, JSON.stringify(claim));
    const r = ajv(bad, ...flags);
    expect(r.code).toBe(1);
    expect(r.output).toContain("instancePath: '/spec/size'");
    expect(r.output).toContain("keyword: 'enum'");
  });
});
