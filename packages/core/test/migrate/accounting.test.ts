/**
 * Nothing is dropped silently: in every golden case, each field of each migrated object
 * (after server-set fields are removed) lies in exactly one row of the report.
 */
import { migrate, type Difference } from '@eds/core';
import { describe, expect, it } from 'vitest';
import { readManifests } from '../../src/migrate/manifests.js';
import { cases } from './cases.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaves as the comparison sees them: scalars, empty maps and lists of scalars. */
function leaves(v: unknown): number {
  if (v === undefined) return 0;
  if (isObject(v) && Object.keys(v).length > 0) {
    return Object.values(v).reduce<number>((n, x) => n + leaves(x), 0);
  }
  if (Array.isArray(v) && v.some(isObject)) return v.reduce<number>((n, x) => n + leaves(x), 0);
  return 1;
}

describe('every field of the manifests is accounted for', () => {
  for (const c of cases()) {
    const result = migrate(c.files);
    if (!result.ok) continue;
    it(c.name, () => {
      const { manifests } = readManifests(c.files);
      for (const service of result.report.services) {
        for (const source of service.sources) {
          const object = manifests.find((m) => m.kind === source.kind && m.name === source.name);
          const rows = service.differences.filter(
            (d: Difference) => d.kind === source.kind && d.name === source.name,
          );
          const counted = rows.reduce((n, d) => n + leaves(d.before), 0);
          expect({ object: `${source.kind}/${source.name}`, leaves: counted }).toEqual({
            object: `${source.kind}/${source.name}`,
            leaves: leaves(object?.object),
          });
        }
      }
    });
  }
});
