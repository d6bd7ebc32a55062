import { describe, expect, it } from 'vitest';
import {
  HPA_INITIAL_STATE,
  changeInPeriod,
  externalPerPodReplicas,
  hpaBehavior,
  hpaSync,
  scaleDownLimit,
  scaleUpLimit,
  scalingSettings,
  type HpaState,
  type ScalingSettings,
} from '../../src/scaling/index.js';

const settings = (over: Partial<ScalingSettings> = {}): ScalingSettings => ({
  ...scalingSettings({
    minReplicas: 1,
    maxReplicas: 10,
    lagThreshold: 5,
    pollingInterval: 5,
    cooldownPeriod: 300,
  }),
  ...over,
});

/** Syncs in order, each `[at, replicas, lag]`, and returns every decision's `to`. */
function syncs(
  s: ScalingSettings,
  readings: readonly [number, number, number][],
  state: HpaState = HPA_INITIAL_STATE,
) {
  const out: number[] = [];
  let st = state;
  for (const [at, replicas, lag] of readings) {
    const r = hpaSync(s, st, { at, replicas, lag });
    st = r.state;
    out.push(r.decision.to);
  }
  return out;
}

describe('the HPA metric: an External AverageValue target of lagThreshold', () => {
  // kubernetes replica_calculator.go, GetExternalPerPodMetricReplicas with Tolerances.isWithin:
  // ratio = lag / (lagThreshold × statusReplicas); within [0.9, 1.1] the count stays.
  it.each([
    [55, 10, true], // ratio 1.10: on the boundary, inside
    [56, 10, false], // 1.12 → ceil(56 / 5) = 12
    [45, 10, true], // 0.90: on the boundary, inside
    [44, 10, false], // 0.88 → ceil(44 / 5) = 9
  ])('lag %i over 10 replicas: within tolerance %s', (lag, replicas, within) => {
    const r = externalPerPodReplicas(lag, 5, 10);
    expect(r.withinTolerance).toBe(within);
    expect(r.replicas).toBe(within ? replicas : Math.ceil(lag / 5));
    expect(r.ratio).toBe(lag / 50);
  });

  it('gives ceil(lag / lagThreshold) outside the tolerance, whatever the current count', () => {
    // GetExternalPerPodMetricReplicas: the current count appears only in the tolerance test.
    expect(externalPerPodReplicas(1000, 5, 1)).toEqual({
      replicas: 200,
      ratio: 200,
      withinTolerance: false,
    });
    expect(externalPerPodReplicas(0, 5, 3)).toEqual({
      replicas: 0,
      ratio: 0,
      withinTolerance: false,
    });
    expect(externalPerPodReplicas(11, 5, 3).replicas).toBe(3); // 11 / 15 = 0.73 → ceil(2.2) = 3
  });

  it('keeps 10 replicas at lag 55 and goes to 12 at lag 56, through a whole sync', () => {
    // horizontal.go reconcileAutoscaler → computeReplicasForMetrics → normalizeDesiredReplicasWithBehaviors
    const s = settings({ maxReplicas: 20 });
    expect(syncs(s, [[0, 10, 55]])).toEqual([10]);
    expect(syncs(s, [[0, 10, 56]])).toEqual([12]);
    const within = hpaSync(s, HPA_INITIAL_STATE, { at: 0, replicas: 10, lag: 55 }).decision;
    expect(within).toMatchObject({
      metricReplicas: 10,
      stabilized: 10,
      limit: 'DesiredWithinRange',
    });
    expect(within.reason).toBe(
      'hpa: lag 55 over 10 replicas, target 5 each (ratio 1.10, within ±10 %): keeps 10',
    );
  });
});

describe('the scale-up policies: +4 pods or +100 % per 15 s, whichever is more', () => {
  const up = hpaBehavior(settings()).scaleUp;
  const none = { scaleUpEvents: [], scaleDownEvents: [] };

  it.each([
    [1, 5], // max(1 + 4, ceil(1 × 2)) : +4 wins
    [2, 6], // max(6, 4)
    [4, 8], // max(8, 8): the two meet
    [8, 16], // max(12, 16): +100 % wins
    [20, 40],
  ])('from %i replicas at the start of the period: at most %i', (start, limit) => {
    // horizontal.go calculateScaleUpLimitWithScalingRules, selectPolicy Max
    expect(scaleUpLimit(start, none, up, 0)).toBe(limit);
  });

  it('counts the pods added in the last 15 s against the period (getReplicasChangePerPeriod)', () => {
    const events = { scaleUpEvents: [{ change: 4, at: 0 }], scaleDownEvents: [] };
    expect(changeInPeriod(events.scaleUpEvents, 15, 14)).toBe(4);
    expect(changeInPeriod(events.scaleUpEvents, 15, 15)).toBe(0); // at 15 the event at 0 is not After(0)
    expect(scaleUpLimit(5, events, up, 10)).toBe(5); // the period began at 1: max(5, 2)
    expect(scaleUpLimit(5, events, up, 15)).toBe(10); // a new period from 5: max(9, 10)
  });

  it('takes a service from 1 to 5, 10, 20, 40 and then maxReplicas, one sync per 15 s', () => {
    // horizontal.go convertDesiredReplicasWithBehaviorRate: ScaleUpLimit, then TooManyReplicas
    const s = settings({ maxReplicas: 50 });
    expect(
      syncs(s, [
        [0, 1, 1000],
        [15, 5, 1000],
        [30, 10, 1000],
        [45, 20, 1000],
        [60, 40, 1000],
      ]),
    ).toEqual([5, 10, 20, 40, 50]);
  });

  it('does not scale up twice inside one period', () => {
    const s = settings({ maxReplicas: 50 });
    expect(
      syncs(s, [
        [0, 1, 1000],
        [10, 5, 1000],
        [15, 5, 1000],
      ]),
    ).toEqual([5, 5, 10]);
  });

  it('names the limit in the decision', () => {
    const d = hpaSync(settings(), HPA_INITIAL_STATE, { at: 0, replicas: 1, lag: 1000 }).decision;
    expect(d).toMatchObject({
      from: 1,
      to: 5,
      metricReplicas: 200,
      stabilized: 200,
      limit: 'ScaleUpLimit',
    });
    expect(d.reason).toBe(
      'hpa: lag 1000 over 1 replica, target 5 each (ratio 200.00, outside ±10 %): wants ceil(1000 / 5) = 200; scale-up policies allow at most 5 now',
    );
  });
});

describe('scale-down: the stabilization window (cooldownPeriod) and 100 % per 15 s', () => {
  it('allows every pod to go in one step (calculateScaleDownLimitWithBehaviors)', () => {
    const down = hpaBehavior(settings()).scaleDown;
    expect(down).toEqual({
      stabilizationWindowSeconds: 300,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    });
    expect(scaleDownLimit(10, { scaleUpEvents: [], scaleDownEvents: [] }, down, 0)).toBe(0);
  });

  it('holds 10 replicas for 300 s after the last recommendation of 10, then goes to minReplicas', () => {
    // horizontal.go stabilizeRecommendationWithBehaviors: the highest recommendation newer than
    // now − 300 s caps the scale-down; at 300 the one made at 0 is not After(0) any more.
    const s = settings();
    const readings: [number, number, number][] = [[0, 10, 50]];
    for (let at = 15; at <= 300; at += 15) readings.push([at, 10, 0]);
    const tos = syncs(s, readings);
    expect(tos.slice(0, -1)).toEqual(Array<number>(20).fill(10));
    expect(tos.at(-1)).toBe(1);
    const held = hpaSync(
      s,
      { recommendations: [{ replicas: 10, at: 0 }], scaleUpEvents: [], scaleDownEvents: [] },
      {
        at: 285,
        replicas: 10,
        lag: 0,
      },
    ).decision;
    expect(held).toMatchObject({ metricReplicas: 0, stabilized: 10, to: 10 });
    expect(held.reason).toContain('held at 10 by the scale-down stabilization window (300 s)');
  });

  it('steps down to the highest recent recommendation, not straight to the lowest', () => {
    // Recommendations 10 at 0, 4 at 100, 2 at 200: at 301 only those of 100 and 200 count.
    const s = settings();
    const state: HpaState = {
      recommendations: [
        { replicas: 10, at: 0 },
        { replicas: 4, at: 100 },
        { replicas: 2, at: 200 },
      ],
      scaleUpEvents: [],
      scaleDownEvents: [],
    };
    expect(hpaSync(s, state, { at: 301, replicas: 10, lag: 5 }).decision.to).toBe(4);
  });
});

describe('clamping and the early exits of reconcileAutoscaler', () => {
  it('does nothing at zero replicas: KEDA activates the service', () => {
    const r = hpaSync(settings({ minReplicas: 0 }), HPA_INITIAL_STATE, {
      at: 0,
      replicas: 0,
      lag: 100,
    });
    expect(r.decision).toMatchObject({ to: 0, limit: 'ScalingDisabled' });
    // recordInitialRecommendation still ran.
    expect(r.state.recommendations).toEqual([{ replicas: 0, at: 0 }]);
  });

  it('keeps at least one replica with minReplicas 0 (GetHPAMinReplicas), and at most maxReplicas', () => {
    const s = settings({ minReplicas: 0, cooldownPeriod: 0 });
    const d = hpaSync(s, HPA_INITIAL_STATE, { at: 0, replicas: 3, lag: 0 }).decision;
    expect(d).toMatchObject({ to: 1, limit: 'TooFewReplicas' });
    const over = hpaSync(settings(), HPA_INITIAL_STATE, {
      at: 0,
      replicas: 10,
      lag: 10_000,
    }).decision;
    // Already at maxReplicas: the scale-up limit (20) is above it, so maxReplicas binds.
    expect(over).toMatchObject({ to: 10, limit: 'TooManyReplicas', metricReplicas: 2000 });
    const capped = hpaSync(settings(), HPA_INITIAL_STATE, { at: 0, replicas: 7, lag: 70 }).decision;
    expect(capped).toMatchObject({ to: 10, limit: 'TooManyReplicas', metricReplicas: 14 });
  });

  it('brings a count outside [min, max] back without reading the metric', () => {
    const s = settings({ minReplicas: 2, maxReplicas: 6 });
    expect(hpaSync(s, HPA_INITIAL_STATE, { at: 0, replicas: 9, lag: 0 }).decision).toMatchObject({
      to: 6,
      limit: 'AboveMaxReplicas',
    });
    expect(hpaSync(s, HPA_INITIAL_STATE, { at: 0, replicas: 1, lag: 500 }).decision).toMatchObject({
      to: 2,
      limit: 'BelowMinReplicas',
    });
  });
});
