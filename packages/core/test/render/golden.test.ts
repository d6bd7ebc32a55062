/**
 * Golden render tests: each claim beside the YAML it must render to, compared as whole
 * documents. Set UPDATE_GOLDEN=1 to rewrite the expected files, then review the diff.
 */
import {
  forTarget,
  parseYamlDocuments,
  render,
  toYamlStream,
  validateClaim,
  type Target,
} from '@eds/core';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

interface Golden {
  readonly name: string;
  readonly claim: string;
  readonly expected: string;
  readonly target: Target;
}

function examples(): Golden[] {
  const dir = join(root, 'examples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('-claim.yaml'))
    .sort()
    .flatMap((f) =>
      (['v2', 'legacy'] as const).map((target) => ({
        name: `examples/${f} (${target})`,
        claim: join(dir, f),
        expected: join(dir, 'rendered', `${basename(f, '.yaml')}.${target}.yaml`),
        target,
      })),
    );
}

/** Each case renders for v2 into `expected.yaml`; for legacy too when it has `expected.legacy.yaml`. */
function testdata(): Golden[] {
  const dir = join(root, 'packages/core/test/render/testdata');
  return readdirSync(dir)
    .sort()
    .flatMap((c) => [
      {
        name: `testdata/${c}`,
        claim: join(dir, c, 'claim.yaml'),
        expected: join(dir, c, 'expected.yaml'),
        target: 'v2' as const,
      },
      ...(existsSync(join(dir, c, 'expected.legacy.yaml'))
        ? [
            {
              name: `testdata/${c} (legacy)`,
              claim: join(dir, c, 'claim.yaml'),
              expected: join(dir, c, 'expected.legacy.yaml'),
              target: 'legacy' as const,
            },
          ]
        : []),
    ]);
}

export function renderClaimFile(path: string, target: Target): string {
  const [doc] = parseYamlDocuments(readFileSync(path, 'utf8'));
  const result = validateClaim(doc?.value);
  if (!result.ok) throw new Error(`${path}: ${JSON.stringify(result.issues)}`);
  const objects = forTarget(render(result.claim, result.claim.spec), { target });
  return toYamlStream(objects.map((r) => r.object));
}

const documents = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as unknown);

describe.each([...examples(), ...testdata()])('$name', ({ claim, expected, target }) => {
  it('renders exactly the expected documents', () => {
    const actual = renderClaimFile(claim, target);
    if (update || !existsSync(expected)) {
      mkdirSync(dirname(expected), { recursive: true });
      writeFileSync(expected, actual);
    }
    const want = readFileSync(expected, 'utf8');
    expect(documents(actual)).toEqual(documents(want));
    expect(actual).toBe(want);
  });
});
