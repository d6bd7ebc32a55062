import { describe, expect, it } from 'vitest';
import { shutdownTimeoutMs } from '../../src/render/deployment.js';

describe('shutdownTimeoutMs: the worker deadline from the pod grace period', () => {
  // grace − max(2 s, 10 %), at least the worker's minimum of 1 s.
  const cases: readonly (readonly [grace: number, ms: number, reason: string])[] = [
    [30, 27_000, 'the default grace keeps 10 %, 3 s'],
    [10, 8_000, 'a short grace keeps the 2 s floor'],
    [20, 18_000, 'at 20 s both margins are 2 s'],
    [120, 108_000, 'a long grace keeps 10 %'],
    [3600, 3_240_000, 'the largest grace'],
    [3, 1_000, '3 s less 2 s'],
    [2, 1_000, 'never below the worker minimum'],
    [1, 1_000, 'never below the worker minimum, even above the grace'],
  ];
  it.each(cases)('%i s → %i ms (%s)', (grace, ms) => {
    expect(shutdownTimeoutMs(grace)).toBe(ms);
  });
});
