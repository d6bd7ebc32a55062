import { describe, expect, it } from 'vitest';
import {
  initialProbeState,
  nextProbeAt,
  probeTiming,
  recordProbe,
  type ProbeKind,
} from '../../src/kubelet/probe.js';

const run = (kind: ProbeKind, outcomes: boolean[], probe = {}) => {
  const timing = probeTiming(probe);
  let state = initialProbeState(kind);
  return outcomes.map((ok) => {
    state = recordProbe(kind, state, ok, timing);
    return state.onHold ? 'hold' : state.passing;
  });
};

describe('probes', () => {
  it('fills in the Kubernetes defaults', () => {
    expect(probeTiming({})).toEqual({
      initialDelayMs: 0,
      periodMs: 10_000,
      timeoutMs: 1000,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(
      probeTiming({
        initialDelaySeconds: 2,
        periodSeconds: 1,
        timeoutSeconds: 3,
        successThreshold: 2,
        failureThreshold: 1,
      }),
    ).toEqual({
      initialDelayMs: 2000,
      periodMs: 1000,
      timeoutMs: 3000,
      successThreshold: 2,
      failureThreshold: 1,
    });
  });

  it('readiness starts failing and passes after successThreshold successes in a row', () => {
    expect(
      run('readiness', [true, false, true, true, false, false, false, true], {
        successThreshold: 2,
      }),
    ).toEqual([false, false, false, true, true, true, false, false]);
  });

  it('readiness fails after failureThreshold failures in a row and keeps probing', () => {
    expect(run('readiness', [true, false, false, true, false, false, false, true])).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      true,
    ]);
  });

  it('liveness starts passing and holds after failureThreshold failures', () => {
    expect(run('liveness', [false, false, true, false, false, false])).toEqual([
      true,
      true,
      true,
      true,
      true,
      'hold',
    ]);
  });

  it('startup passes on the first success and holds after failureThreshold failures', () => {
    expect(run('startup', [false, true])).toEqual([false, true]);
    expect(run('startup', [false, false], { failureThreshold: 2 })).toEqual([false, 'hold']);
  });

  it('probes initialDelay after the start, then every period', () => {
    const timing = probeTiming({ initialDelaySeconds: 5, periodSeconds: 2 });
    expect(nextProbeAt(1000, undefined, timing)).toBe(6000);
    expect(nextProbeAt(1000, 6000, timing)).toBe(8000);
  });
});
