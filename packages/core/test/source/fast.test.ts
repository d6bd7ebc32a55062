import { parseYamlDocuments, parseYamlValuesFast } from '@eds/core';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validClaim } from '../arbitraries.js';

describe('parseYamlValuesFast', () => {
  it('reads what the careful parser reads, for any valid claim', () => {
    fc.assert(
      fc.property(validClaim, fc.boolean(), (claim, flow) => {
        const text = stringify(claim, flow ? { collectionStyle: 'flow' } : {});
        const fast = parseYamlValuesFast(text);
        const careful = parseYamlDocuments(text).map((d) => d.value);
        if (fast !== undefined) expect(fast).toEqual(careful);
      }),
      { numRuns: 500 },
    );
  });

  it('reads scalars as kubectl does (YAML 1.1), like the careful parser', () => {
    const text = 'a: 2024-01-01\nb: True\nc: 0o17\nd: 0x1F\ne: "5"\n---\n---\nf: [1, 2]\n';
    expect(parseYamlValuesFast(text)).toEqual(parseYamlDocuments(text).map((d) => d.value));
    expect(parseYamlValuesFast(text)).toEqual([
      { a: '2024-01-01', b: true, c: 15, d: 31, e: '5' },
      { f: [1, 2] },
    ]);
  });

  it('keeps shell text such as "&&" on the fast path', () => {
    expect(parseYamlValuesFast("args: ['cd /app && ./migrate']\n")).toEqual([
      { args: ['cd /app && ./migrate'] },
    ]);
  });

  it.each([
    ['an anchor and alias', 'a: &x [1]\nb: *x\n'],
    ['a tag', 'a: !!binary aGk=\n'],
    ['a local tag', 'a: !Ref x\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a syntax error', 'a: [1\n'],
    ['a merge key', 'a: {<<: {b: 1}}\n'],
    ['a scalar whose type depends on the YAML version', 'a: no\n'],
  ])('leaves %s to the careful parser', (_what, text) => {
    expect(parseYamlValuesFast(text)).toBeUndefined();
  });
});
