/**
 * YAML as kubectl reads it (sigs.k8s.io/yaml → go-yaml v2, YAML 1.1 rules), in and out. The
 * expected values are go-yaml v2's resolve.go, read with Go's strconv rules.
 */
import { claimsToYaml, parseYamlDocuments, parseYamlValuesFast, toYamlStream } from '@eds/core';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

/** Unquoted scalar → what kubectl reads, and whether a YAML 1.2 reader reads something else. */
const SCALARS: [string, unknown, boolean][] = [
  // Booleans: YAML 1.1's words, in the three cases go-yaml lists.
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].map(
    (s) => [s, true, true] as [string, unknown, boolean],
  ),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map(
    (s) => [s, false, true] as [string, unknown, boolean],
  ),
  ['true', true, false],
  ['True', true, false],
  ['FALSE', false, false],
  ['tRUE', 'tRUE', false],
  ['yEs', 'yEs', false],
  ['nO', 'nO', false],
  // Null.
  ['~', null, false],
  ['null', null, false],
  ['NULL', null, false],
  ['nil', 'nil', false],
  // Integers: Go's ParseInt with base 0, underscores dropped.
  ['017', 15, true],
  ['0o17', 15, false],
  ['0O17', 15, true],
  ['0x1F', 31, false],
  ['0X1F', 31, true],
  ['0b101', 5, true],
  ['-0b101', -5, true],
  ['+0b101', 5, true],
  ['1_000', 1000, true],
  ['-42', -42, false],
  ['+42', 42, false],
  ['0', 0, false],
  ['00', 0, false],
  ['9223372036854775807', 2 ** 63, false],
  ['18446744073709551615', 2 ** 64, false],
  ['0x', '0x', false],
  // Floats: yamlStyleFloat, then ParseFloat.
  ['08', 8, false],
  ['09.5', 9.5, false],
  ['+.5', 0.5, false],
  ['-.5', -0.5, false],
  ['.5', 0.5, false],
  ['1.', 1, false],
  ['1e3', 1000, false],
  ['1E-3', 0.001, false],
  ['1e400', '1e400', true],
  ['.inf', Infinity, false],
  ['-.Inf', -Infinity, false],
  ['.nan', NaN, false],
  ['.Nan', '.Nan', false],
  // Strings under both sets of rules.
  ['1:20', '1:20', false],
  ['2024-01-01', '2024-01-01', false],
  ['2024-01-01T10:00:00Z', '2024-01-01T10:00:00Z', false],
  ['1.2.3', '1.2.3', false],
  ['v1', 'v1', false],
  ['0.0.0.0', '0.0.0.0', false],
  ['o', 'o', false],
  ['simple-workers', 'simple-workers', false],
];

const careful = (text: string) => parseYamlDocuments(text).map((d) => d.value);

describe('reading YAML as kubectl does', () => {
  it.each(SCALARS)('reads %s as %o on both paths, as a value and as a key', (text, value) => {
    for (const doc of [`v: ${text}\n`, `v: [${text}]\n`, `- v: ${text}\n`]) {
      const fast = parseYamlValuesFast(doc);
      const read = careful(doc);
      if (fast !== undefined) expect(fast).toEqual(read);
      expect(read).toEqual(
        doc.startsWith('- ')
          ? [[{ v: value }]]
          : doc.includes('[')
            ? [{ v: [value] }]
            : [{ v: value }],
      );
    }
    // sigs.k8s.io/yaml turns non-string keys into their JSON text: `no: 1` is {"false": 1}.
    const key = `${text}: 1\n`;
    if (typeof value !== 'number' || Number.isFinite(value)) {
      expect(careful(key)).toEqual([
        { [value === null ? '' : String(value as number | boolean)]: 1 },
      ]);
    }
    const fast = parseYamlValuesFast(key);
    if (fast !== undefined) expect(fast).toEqual(careful(key));
  });

  it.each(SCALARS)('keeps quoted %s a string', (text) => {
    for (const doc of [`v: "${text}"\n`, `v: '${text}'\n`]) {
      expect(careful(doc)).toEqual([{ v: text }]);
      expect(parseYamlValuesFast(doc)).toEqual([{ v: text }]);
    }
  });

  it.each(SCALARS)(
    'warns about %s only if its type depends on the YAML version',
    (text, _value, dependent) => {
      const [doc] = parseYamlDocuments(`spec:\n  nats:\n    consumer: ${text}\n`);
      expect(doc?.warnings.map((w) => w.path)).toEqual(dependent ? ['spec.nats.consumer'] : []);
    },
  );

  it('names the field, both readings and the fix', () => {
    const [doc] = parseYamlDocuments(
      'spec:\n  nats:\n    consumer: no\n  lagThreshold: 017\n  labels: {on: x}\n',
    );
    expect(doc?.warnings).toEqual([
      {
        code: 'type',
        path: 'spec.nats.consumer',
        at: ['spec', 'nats', 'consumer'],
        line: 3,
        column: 15,
        message:
          'no is read as boolean false by kubectl (YAML 1.1) but as the string "no" by YAML 1.2 tools; quote it ("no") if you mean the string, or write false if you mean the boolean',
      },
      {
        code: 'type',
        path: 'spec.lagThreshold',
        at: ['spec', 'lagThreshold'],
        line: 4,
        column: 17,
        message:
          '017 is read as number 15 by kubectl (YAML 1.1) but as number 17 by YAML 1.2 tools; quote it ("017") if you mean the string, or write 15 if you mean the number',
      },
      {
        code: 'type',
        path: 'spec.labels.on',
        at: ['spec', 'labels', 'on'],
        line: 5,
        column: 12,
        message:
          'on is read as boolean true by kubectl (YAML 1.1) but as the string "on" by YAML 1.2 tools; quote it ("on") if you mean the string, or write true if you mean the boolean',
      },
    ]);
  });

  it('reads explicit tags and merge keys as go-yaml v2 does', () => {
    expect(careful('a: !!int "017"\nb: !!str 017\nc: !!bool yes\n')).toEqual([
      { a: 15, b: '017', c: true },
    ]);
    expect(careful('base: &b {x: 1}\nd:\n  <<: *b\n  z: 2\n')).toEqual([
      { base: { x: 1 }, d: { x: 1, z: 2 } },
    ]);
    expect(parseYamlDocuments('a: !!int yes\n')[0]?.issues.map((i) => i.message)).toEqual([
      'cannot read "yes" as !!int',
    ]);
  });
});

/** Every string, unquoted or not, must read back as itself with each set of rules. */
function readsBack(text: string): void {
  const object = {
    metadata: { namespace: text, labels: { [text]: text } },
    data: { value: [text] },
  };
  const yaml = toYamlStream([object]);
  expect(careful(yaml)).toEqual([object]); // kubectl (YAML 1.1, go-yaml v2)
  expect(parse(yaml)).toEqual(object); // YAML 1.2 core
  expect(parse(yaml, { version: '1.1' })).toEqual(object); // YAML 1.1 spec types
  expect(parseYamlDocuments(claimsToYaml([object as never]))[0]?.value).toEqual(object);
}

describe('writing YAML that kubectl reads back', () => {
  it.each(SCALARS.map(([text]) => [text]))(
    'quotes %s when a reader would take it for something else',
    (text) => {
      readsBack(text);
    },
  );

  it.each([
    '=',
    '<<',
    '1:20',
    '2024-01-01',
    '2001-12-14 21:59:43.10 -5',
    '190:20:30.15',
    '0b1_0',
    '0x_1F',
  ])(
    'quotes %s, which YAML 1.1 readers other than go-yaml take for a number, date or key',
    (text) => {
      readsBack(text);
    },
  );

  it('renders namespace: on and value: NO quoted', () => {
    expect(
      toYamlStream([{ metadata: { namespace: 'on' }, data: { value: 'NO', n: 'n', v: '2.4.1' } }]),
    ).toBe('metadata:\n  namespace: "on"\ndata:\n  value: "NO"\n  "n": "n"\n  v: 2.4.1\n');
  });

  it('reads back any string built from the characters that matter', () => {
    const chars = fc.constantFrom(...'yYnNoOfFtTeE0123456789+-._:~xXbB<= '.split(''));
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 8 }), (text) => {
        readsBack(text);
      }),
      { numRuns: 1000 },
    );
  });
});
