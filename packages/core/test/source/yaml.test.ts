import { parseYamlDocuments, validateClaim } from '@eds/core';
import { describe, expect, it } from 'vitest';

const claim = `apiVersion: platform.bizmatters.io/v1alpha1
kind: EventDrivenService
metadata:
  name: w
spec:
  image: ghcr.io/org/w:1
  size: xlarge
  secretRefs:
    - name: db
      env:
        - secretKey: endpoint
          envName: NATS_URL
  nats:
    stream: S
    consumer: c
    consumr: typo
`;

function located(text: string) {
  const [doc] = parseYamlDocuments(text);
  if (doc === undefined) throw new Error('no document');
  const result = validateClaim(doc.value);
  return result.ok
    ? []
    : result.issues.map((i) => {
        const p = doc.locate(i.at, i.code);
        return `${p?.line ?? '?'}:${p?.column ?? '?'} ${i.path}`;
      });
}

describe('parseYamlDocuments', () => {
  it('locates values, list items and unknown keys', () => {
    expect(located(claim)).toEqual([
      '7:9 spec.size',
      '16:5 spec.nats.consumr',
      '12:20 spec.secretRefs[0].env[0].envName',
    ]);
  });

  it('locates a missing field at the key of its parent', () => {
    expect(located(claim.replace('    stream: S\n', ''))).toContain('13:3 spec.nats.stream');
  });

  it('splits multi-document streams and leaves out empty documents', () => {
    const docs = parseYamlDocuments('---\na: 1\n---\n---\nb: 2\n');
    expect(docs.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(docs.map((d) => d.index)).toEqual([0, 1]);
  });

  it('reports a duplicate key with its name and position, and no value', () => {
    const [doc] = parseYamlDocuments('spec:\n  size: small\n  size: large\n');
    expect(doc?.value).toBeUndefined();
    expect(doc?.issues).toEqual([
      {
        code: 'duplicate-key',
        path: '',
        at: [],
        message: 'key "size" appears twice in the same mapping; keep one',
        line: 3,
        column: 3,
      },
    ]);
  });

  it('reports a syntax error as an issue with a position', () => {
    const [doc] = parseYamlDocuments('spec:\n  nats: [unclosed\n');
    expect(doc?.value).toBeUndefined();
    expect(doc?.issues.map((i) => [i.code, i.line])).toEqual([['yaml-syntax', 3]]);
  });

  it('refuses alias bombs instead of expanding them', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    const [doc] = parseYamlDocuments(bomb);
    expect(doc?.value).toBeUndefined();
    expect(doc?.issues.map((i) => i.code)).toEqual(['yaml-syntax']);
  });
});
