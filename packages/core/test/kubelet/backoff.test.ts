import { describe, expect, it } from 'vitest';
import {
  goDuration,
  KUBELET_BACKOFF,
  nextBackoff,
  restartAt,
  retryPullAt,
  scaleBackoff,
  type BackoffEntry,
} from '../../src/kubelet/backoff.js';

describe('crash-loop back-off', () => {
  it('restarts at once after the first exit, then waits 10 s doubling to 5 min', () => {
    let entry: BackoffEntry | undefined;
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const finished = now + 1000; // each run lasts 1 s
      const at = restartAt(entry, finished, KUBELET_BACKOFF);
      waits.push(at === undefined ? 0 : at - finished);
      now = at ?? finished;
      entry = nextBackoff(entry, finished, now, KUBELET_BACKOFF);
    }
    expect(waits.map((ms) => ms / 1000)).toEqual([0, 10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it('forgets the back-off when the container ran for more than twice the maximum', () => {
    const entry: BackoffEntry = { delayMs: 160_000, lastUpdateMs: 0 };
    expect(restartAt(entry, 600_000, KUBELET_BACKOFF)).toBe(600_000 + 160_000);
    expect(restartAt(entry, 600_001, KUBELET_BACKOFF)).toBeUndefined();
    expect(nextBackoff(entry, 600_001, 600_001, KUBELET_BACKOFF)).toEqual({
      delayMs: 10_000,
      lastUpdateMs: 600_001,
    });
  });

  it('scales both bounds', () => {
    expect(scaleBackoff(KUBELET_BACKOFF, 0.1)).toEqual({ initialMs: 1000, maxMs: 30_000 });
  });

  it('retries an image pull a back-off after the last failure', () => {
    expect(retryPullAt(undefined)).toBeUndefined();
    expect(retryPullAt({ delayMs: 20_000, lastUpdateMs: 5000 })).toBe(25_000);
  });

  it.each([
    [500, '500ms'],
    [10_000, '10s'],
    [1500, '1.5s'],
    [160_000, '2m40s'],
    [300_000, '5m0s'],
  ])('goDuration(%d) = %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });
});
