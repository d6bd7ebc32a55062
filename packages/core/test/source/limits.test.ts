import {
  parseYamlDocuments,
  parseYamlValuesFast,
  YAML_LIMITS,
  YamlLimitError,
  type YamlLimit,
} from '@eds/core';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkTextLimits, checkValueLimits } from '../../src/source/limits.js';

const HEAD = `apiVersion: platform.bizmatters.io/v1alpha1
kind: EventDrivenService
metadata: {name: w}
spec:
  image: ghcr.io/org/w:1
  nats: {stream: S, consumer: c}
`;

/** The limit both parsers refuse the text for (the fast parser may leave it to the careful one). */
function refused(text: string): {
  fast: YamlLimit | 'parsed' | 'left';
  careful: YamlLimit | 'parsed';
} {
  const limitOf = (f: () => unknown): YamlLimit | 'parsed' | 'left' => {
    try {
      return f() === undefined ? 'left' : 'parsed';
    } catch (e) {
      if (e instanceof YamlLimitError) return e.limit;
      throw e;
    }
  };
  const careful = limitOf(() => parseYamlDocuments(text));
  return {
    fast: limitOf(() => parseYamlValuesFast(text)),
    careful: careful === 'left' ? 'parsed' : careful,
  };
}

const n = (count: number, line: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => line(i)).join('');

describe('input limits', () => {
  it.each([
    ['many keys in one mapping', n(YAML_LIMITS.nodes / 2 + 1, (i) => `k${i}: 1\n`), 'nodes'],
    ['a long flow list', `a: [${'1,'.repeat(YAML_LIMITS.nodes)}1]\n`, 'nodes'],
    ['a long block list of empty items', '-\n'.repeat(YAML_LIMITS.nodes + 1), 'nodes'],
    ['a long block list of scalars', '- 1\n'.repeat(YAML_LIMITS.nodes + 1), 'nodes'],
    [
      'deep flow lists',
      `a: ${'['.repeat(YAML_LIMITS.depth + 1)}${']'.repeat(YAML_LIMITS.depth + 1)}\n`,
      'depth',
    ],
    [
      'deep flow mappings',
      `${'{a: '.repeat(YAML_LIMITS.depth + 1)}1${'}'.repeat(YAML_LIMITS.depth + 1)}\n`,
      'depth',
    ],
    ['deep block mappings', n(YAML_LIMITS.depth + 1, (i) => `${'  '.repeat(i)}k:\n`), 'depth'],
    ['deep compact block lists', `${'- '.repeat(YAML_LIMITS.depth + 1)}x\n`, 'depth'],
    ['deep lists in a syntax error', `a: ${'['.repeat(100_000)}\n`, 'depth'],
    ['many documents', '---\na: 1\n'.repeat(YAML_LIMITS.documents + 1), 'documents'],
    ['many empty documents', '---\n'.repeat(YAML_LIMITS.documents + 1), 'documents'],
    ['more bytes than the limit', `a: "${'x'.repeat(YAML_LIMITS.bytes)}"\n`, 'bytes'],
    [
      'more bytes than the limit in multi-byte characters',
      `a: "${'é'.repeat(YAML_LIMITS.bytes / 2)}"\n`,
      'bytes',
    ],
  ])('refuses %s in both parsers', (_what, text, limit) => {
    const { fast, careful } = refused(text);
    expect(careful).toBe(limit);
    expect([limit, 'left']).toContain(fast);
  });

  it.each([
    ['keys', HEAD + n(YAML_LIMITS.nodes / 2 - 50, (i) => `  k${i}: 1\n`)],
    ['a flow list', `${HEAD}  a: [${'1,'.repeat(YAML_LIMITS.nodes - 100)}1]\n`],
    [
      'nesting',
      `${HEAD}  a: ${'['.repeat(YAML_LIMITS.depth - 2)}${']'.repeat(YAML_LIMITS.depth - 2)}\n`,
    ],
    ['documents', '---\na: 1\n'.repeat(YAML_LIMITS.documents)],
  ])('reads %s just under the limit', (_what, text) => {
    expect(refused(text)).toEqual({ fast: 'parsed', careful: 'parsed' });
  });

  it('says what went over and how to fix it, in one line', () => {
    expect(() => parseYamlDocuments('-\n'.repeat(YAML_LIMITS.nodes + 1))).toThrow(
      'more than 100,000 keys, values and list items, the limit for one input; split it into smaller files',
    );
    expect(() => parseYamlDocuments(`${'- '.repeat(101)}x\n`)).toThrow(
      'nested more than 100 levels deep, the limit for one input; no Kubernetes object nests this deep, so check that this is the file you meant',
    );
  });

  it('never refuses text whose parsed data is within the limits (the scan counts no more than the data has)', () => {
    const data = fc.array(fc.jsonValue({ maxDepth: 6 }), { minLength: 1, maxLength: 3 });
    const limits = fc.record({
      bytes: fc.constant(YAML_LIMITS.bytes),
      documents: fc.integer({ min: 1, max: 4 }),
      depth: fc.integer({ min: 1, max: 6 }),
      nodes: fc.integer({ min: 1, max: 60 }),
    });
    fc.assert(
      fc.property(data, limits, fc.constantFrom('block', 'flow'), (docs, lim, style) => {
        const text = docs
          .map((d) => stringify(d, style === 'flow' ? { collectionStyle: 'flow' } : {}))
          .join('---\n');
        let dataOk = true;
        try {
          checkValueLimits(docs, lim);
        } catch {
          dataOk = false;
        }
        if (dataOk)
          expect(() => {
            checkTextLimits(text, lim);
          }).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });

  it('locates every key of a large mapping in linear time', () => {
    // 40,000 unknown keys: locating each with a scan of the mapping took half a minute.
    const locateAll = (count: number) => {
      const text = HEAD + n(count, (i) => `  key${i}: ${i}\n`);
      const [doc] = parseYamlDocuments(text);
      return n(count, (i) => `${doc?.locate(['spec', `key${i}`], 'unknown-field')?.line},`);
    };
    const lines = locateAll(16_000);
    expect(lines.split(',').slice(0, 2)).toEqual(['7', '8']);
    expect(lines.split(',').at(-2)).toBe('16006');
    expectLinear(locateAll);
  });

  it('finds duplicate keys of a large mapping in linear time', () => {
    const duplicates = (count: number) =>
      parseYamlDocuments(`${n(count, (i) => `k${i}: 1\n`)}k7: 2\n`)[0]?.issues;
    expect(duplicates(16_000)).toEqual([
      expect.objectContaining({ code: 'duplicate-key', line: 16_001, column: 1 }),
    ]);
    expectLinear(duplicates);
  });
});

/**
 * Four times the input takes less than ten times as long: linear work takes about four, a scan
 * per key sixteen. A ratio, not a time limit, so that a busy machine slows both sizes alike;
 * each size's best of two runs, so that one pause does not decide.
 */
function expectLinear(work: (count: number) => unknown): void {
  const best = (count: number) =>
    Math.min(
      ...[0, 1].map(() => {
        const start = performance.now();
        work(count);
        return performance.now() - start;
      }),
    );
  const small = best(10_000);
  const large = best(40_000);
  expect(
    large,
    `40,000 keys took ${large.toFixed(0)} ms, 10,000 took ${small.toFixed(0)} ms`,
  ).toBeLessThan(10 * small + 50);
}
