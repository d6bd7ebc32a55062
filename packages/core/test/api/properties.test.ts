import { parseYamlDocuments, render, toYamlStream, validateClaim } from '@eds/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validClaim } from '../arbitraries.js';
import { minimalClaim } from '../helpers.js';
import { VALIDATED_IN_CONFORMANCE, validateUpstream } from '../upstream.js';

/** Sets `value` at a random existing or new path inside a copy of `doc`. */
function mutate(doc: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const base: Record<string | number, unknown> =
    typeof doc === 'object' && doc !== null ? { ...doc } : {};
  base[head ?? ''] = mutate(base[head ?? ''], rest, value);
  return base;
}

const key = fc.constantFrom(
  'spec',
  'metadata',
  'nats',
  'image',
  'size',
  'secretRefs',
  'scaling',
  'env',
  0,
  1,
  'name',
  'x',
);

describe('validate never throws', () => {
  it('on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const result = validateClaim(v);
        expect(result.ok || result.issues.length > 0).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('on any value at any path of a valid claim', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 5 }), fc.anything(), (path, value) => {
        const result = validateClaim(mutate(minimalClaim(), path, value));
        if (!result.ok) {
          for (const i of result.issues) expect(i.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('on any text parsed as YAML, with every issue located', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        for (const doc of parseYamlDocuments(text)) {
          if (doc.value === undefined) continue;
          const result = validateClaim(doc.value);
          if (!result.ok) for (const i of result.issues) doc.locate(i.at, i.code);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('on YAML-ish text built from claim fragments', () => {
    const line = fc.constantFrom(
      'apiVersion: platform.bizmatters.io/v1alpha1',
      'kind: EventDrivenService',
      'metadata:',
      '  name: w',
      'spec:',
      '  image: a:1',
      '  nats:',
      '    stream: S',
      '  - x',
      '  size: [',
      '&a b',
      '*a',
      '---',
      'spec: !!binary x',
      '  env: {a: 1, a: 2}',
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        for (const doc of parseYamlDocuments(lines.join('\n'))) validateClaim(doc.value);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('render', () => {
  it('accepts every generated valid claim', () => {
    fc.assert(
      fc.property(validClaim, (claim) => {
        const result = validateClaim(claim);
        expect(result.ok ? [] : result.issues).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('is deterministic: equal input, byte-identical output, also after a YAML round trip', () => {
    fc.assert(
      fc.property(validClaim, (claim) => {
        const a = validateClaim(claim);
        const b = validateClaim(parseYamlDocuments(toYamlStream([claim]))[0]?.value);
        if (!a.ok || !b.ok) throw new Error('generated claim is invalid');
        const first = toYamlStream(render(a.claim, a.claim.spec).map((r) => r.object));
        const second = toYamlStream(render(b.claim, b.claim.spec).map((r) => r.object));
        expect(second).toBe(first);
      }),
      { numRuns: 300 },
    );
  });

  it('gives objects that pass the upstream Kubernetes and KEDA schemas for any valid claim', () => {
    fc.assert(
      fc.property(validClaim, (claim) => {
        const result = validateClaim(claim);
        if (!result.ok) throw new Error('generated claim is invalid');
        for (const { object } of render(result.claim, result.claim.spec)) {
          if (!VALIDATED_IN_CONFORMANCE.has(object.kind)) validateUpstream(object);
        }
      }),
      { numRuns: 200 },
    );
  });
});
