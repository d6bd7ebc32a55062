import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '@eds/worker';
import { startupRetryDelayMs } from '../src/backoff.js';
import { shutdownPlan } from '../src/shutdown-plan.js';

describe('retryDelayMs', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [7, 60_000],
    [500, 60_000],
  ])('after delivery %i waits %i ms (1 s doubling, capped at 60 s)', (deliveries, expected) => {
    expect(retryDelayMs(deliveries, 1_000, 60_000)).toBe(expected);
  });

  it('treats a delivery count below 1 as the first delivery', () => {
    expect(retryDelayMs(0, 250, 10_000)).toBe(250);
  });

  it('is non-decreasing and within [initial, max] for any delivery count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        (n, initial, extra) => {
          const max = initial + extra;
          const d = retryDelayMs(n, initial, max);
          expect(d).toBeGreaterThanOrEqual(Math.min(initial, max));
          expect(d).toBeLessThanOrEqual(max);
          expect(retryDelayMs(n + 1, initial, max)).toBeGreaterThanOrEqual(d);
          expect(Number.isFinite(d)).toBe(true);
        },
      ),
    );
  });
});

describe('startupRetryDelayMs', () => {
  it('starts at 1 s and doubles up to 10 s', () => {
    expect([0, 1, 2, 3, 4, 20].map(startupRetryDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });
});

describe('shutdownPlan', () => {
  it.each([
    // timeout, releaseAt, abortAt, giveUpAt
    [25_000, 500, 21_000, 24_000],
    [8_000, 500, 5_600, 7_200],
    [2_000, 500, 1_400, 1_800],
    [1_000, 500, 700, 900],
  ])(
    'for %i ms: release at %i, abort at %i, give up at %i',
    (timeout, releaseAt, abortAt, giveUpAt) => {
      expect(shutdownPlan(timeout)).toEqual({ releaseAt, abortAt, giveUpAt });
    },
  );

  it('orders the steps and leaves time to close, for any budget the settings allow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 3_600_000 }), (timeout) => {
        const p = shutdownPlan(timeout);
        expect(p.releaseAt).toBeLessThanOrEqual(p.abortAt);
        expect(p.abortAt).toBeLessThan(p.giveUpAt);
        expect(p.giveUpAt).toBeLessThan(timeout);
      }),
    );
  });
});
