/**
 * One tenant cannot exhaust the function: the memo of composed specs is bounded by bytes as well
 * as by count, a very large spec is composed but never kept, and a FATAL result for a spec with
 * thousands of problems stays small (Crossplane's gRPC client refuses answers over 4 MiB).
 */
import { Severity } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '@eds/function';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MAX_LISTED_PROBLEMS } from '../src/problems.js';
import { MEMO_LIMITS, memoHeld } from '../src/run.js';
import { claimFile, request, xrFor } from './requests.js';

type Obj = Record<string, unknown>;
const MiB = 1024 * 1024;
const minimal = xrFor(claimFile('minimal-claim.yaml'));

/** The minimal claim's XR with `extra` merged into its spec. */
const xrWith = (extra: Obj): Obj => ({ ...minimal, spec: { ...(minimal.spec as Obj), ...extra } });

/** Valid specs of several shapes, distinct for each `i`: what a tenant may send many of. */
const shapes: Record<string, (i: number) => Obj> = {
  'long init container arguments (300 KB)': (i) => ({
    initContainer: { args: Array.from({ length: 600 }, (_, j) => `${i}-${j}-${'x'.repeat(500)}`) },
  }),
  'many short arguments (250 KB)': (i) => ({
    initContainer: { args: Array.from({ length: 30_000 }, (_, j) => `${i}${j}`) },
  }),
  'many image pull secrets (220 KB)': (i) => ({
    imagePullSecrets: Array.from({ length: 12_000 }, (_, j) => ({ name: `s${i}-${j}` })),
  }),
};
const large = (i: number): Obj => ({
  initContainer: { args: Array.from({ length: 2800 }, (_, j) => `${i}-${j}-${'x'.repeat(500)}`) },
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapUsed = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

const compose = (extra: Obj) => {
  const rsp = runFunction(request({ xr: xrWith(extra) }));
  expect(rsp.results).toEqual([]);
  return rsp;
};

describe('the memo of composed specs', () => {
  it('keeps nothing of specs over the per-entry limit: 40 distinct 1.4 MB specs leave the heap as it was', () => {
    compose(large(-1)); // warm up
    const before = heapUsed();
    for (let i = 0; i < 40; i++) compose(large(i));
    const grown = (heapUsed() - before) / MiB;
    console.log(`40 distinct 1.4 MB specs: heap grew ${grown.toFixed(1)} MiB`);
    expect(grown).toBeLessThan(32); // before the bound: about 170 MiB
  });

  it.each(Object.keys(shapes))('keeps at most its byte budget of specs with %s', (shape) => {
    const make = shapes[shape];
    if (make === undefined) throw new Error(shape);
    for (let i = 0; i < 40; i++) compose(make(i));
    const held = memoHeld();
    console.log(
      `${shape}: memo holds ${held.entries} entries, ${(held.bytes / MiB).toFixed(1)} MiB`,
    );
    expect(held.bytes).toBeLessThanOrEqual(MEMO_LIMITS.bytes);
    expect(held.bytes).toBeGreaterThan(MEMO_LIMITS.bytes / 2);
  });

  it('answers an unchanged usual spec from the memo: the same frozen objects', () => {
    const first = compose({ size: 'small' });
    const again = compose({ size: 'small' });
    expect(again.desired?.resources.deployment?.resource).toBe(
      first.desired?.resources.deployment?.resource,
    );
  });
});

describe('a FATAL result for a spec with thousands of problems', () => {
  it(`lists the first ${MAX_LISTED_PROBLEMS} and counts the rest, in a few kilobytes`, () => {
    const bogus = Object.fromEntries(
      Array.from({ length: 30_000 }, (_, i) => [`unknownField${i}`, i]),
    );
    const rsp = runFunction(request({ xr: xrWith(bogus) }));
    expect(rsp.results.map((r) => r.severity)).toEqual([Severity.SEVERITY_FATAL]);
    const message = rsp.results[0]?.message ?? '';
    const lines = message.split('\n');
    expect(lines[0]).toBe('invalid EventDrivenService:');
    expect(lines[1]).toMatch(/^spec\.unknownField0 {2}is not a field of spec; known fields are /);
    expect(lines).toHaveLength(1 + MAX_LISTED_PROBLEMS + 1);
    expect(lines.at(-1)).toBe(
      '... and 29980 more problems (30000 in all); fix these first, or run `eds validate` on the claim to list them all',
    );
    expect(message.length).toBeLessThan(16 * 1024); // before: 6.7 MB
  });
});
