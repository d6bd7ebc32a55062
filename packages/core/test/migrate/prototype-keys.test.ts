/**
 * Strings from manifests (kinds, names, label and field keys) that are also the names of
 * Object.prototype's members must be read as the plain strings they are: never looked up on the
 * prototype (a reason like "function Object() { [native code] }"), never a crash, never a
 * prototype written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, type ManifestFile } from '@eds/core';
import { describe, expect, it } from 'vitest';

const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupGetter__',
];

const base = readFileSync(join(import.meta.dirname, 'testdata/lost-things/input/all.yaml'), 'utf8');

/** The case's manifests, plus one object of each prototype-named kind, name and key. */
function hostileFiles(): ManifestFile[] {
  const extra = PROTOTYPE_NAMES.map((name) =>
    [
      'apiVersion: example.com/v1',
      `kind: ${JSON.stringify(name)}`,
      'metadata:',
      `  name: ${JSON.stringify(name)}`,
      '  labels:',
      `    ${JSON.stringify(name)}: x`,
      `${JSON.stringify(name)}: {}`,
    ].join('\n'),
  );
  // The Deployment's pod gets a label and the main container a field of each name too.
  const labelled = base
    .replace(
      '        app.kubernetes.io/component: event-driven-worker\n    spec:',
      `        app.kubernetes.io/component: event-driven-worker\n${PROTOTYPE_NAMES.map((n) => `        ${JSON.stringify(n)}: y\n`).join('')}    spec:`,
    )
    .replace(
      '        imagePullPolicy: Always\n',
      `        imagePullPolicy: Always\n${PROTOTYPE_NAMES.map((n) => `        ${JSON.stringify(n)}: z\n`).join('')}`,
    );
  expect(labelled).not.toBe(base);
  return [{ name: 'all.yaml', text: [labelled, ...extra].join('\n---\n') }];
}

describe('manifest strings named like Object.prototype members', () => {
  it('are plain strings in kinds, names, labels and fields', () => {
    const result = migrate(hostileFiles());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const text = JSON.stringify(result.report);
    expect(text).not.toContain('native code');
    expect(text).not.toMatch(/function \w*\(/);
    for (const name of PROTOTYPE_NAMES) {
      const leftover = result.report.leftovers.find((l) => l.kind === name);
      expect(leftover, `leftover of kind ${name}`).toMatchObject({
        name,
        reason: 'not part of an EventDrivenService; keep applying this manifest',
      });
    }
    const [service] = result.report.services;
    for (const name of PROTOTYPE_NAMES) {
      const row = service?.differences.find((d) => d.path.endsWith(`.${name}`) && d.before === 'z');
      expect(row, `container field ${name}`).toBeDefined();
    }
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});
