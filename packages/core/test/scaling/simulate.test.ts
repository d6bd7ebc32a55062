import { DEFAULTS as WORKER_DEFAULTS } from '@eds/worker';
import { describe, expect, it } from 'vitest';
import { render, validateClaim } from '../../src/index.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_STARTUP_SECONDS,
  ProfileError,
  scalingSettings,
  simulate,
  simulationSvg,
  type ScalingSettings,
} from '../../src/scaling/index.js';
import { claimWithSpec, minimalClaim } from '../helpers.js';

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

const moves = (sim: ReturnType<typeof simulate>) =>
  sim.events.map((e) => [e.at, e.by, e.from, e.to, e.kind]);

describe('the simulator', () => {
  it('drains a burst: 100 messages, 1 s each, from one replica', () => {
    // t 0: the HPA sees lag 100 on 1 replica, wants 20, may add 4 (+4 beats +100 %): 5 pods,
    // 4 of them ready at 5. One pod takes 5/s for 5 s (25), then five take 25/s: 75 more by 8.
    // Nothing pending from 8 on. The recommendation of 20 made at 0 holds 5 pods until 300.
    const sim = simulate(settings(), {
      rate: 0,
      handlerMs: 1000,
      burst: 100,
      durationSeconds: 600,
    });
    expect(moves(sim)).toEqual([
      [0, 'hpa', 1, 5, 'ScaleUpLimit'],
      [300, 'hpa', 5, 1, 'TooFewReplicas'],
    ]);
    expect(sim.summary).toEqual({
      drainedAt: 8,
      peakReplicas: 5,
      peakAt: 0,
      podSeconds: 5 * 300 + 1 * 300,
      podMinutes: 30,
      maxWaitSeconds: 7,
      capacityReplicas: 0,
      finalReplicas: 1,
      arrived: 100,
      handled: 100,
    });
    expect(
      sim.timeline.slice(0, 9).map((p) => [p.t, p.desired, p.ready, p.lag, p.pending]),
    ).toEqual([
      [0, 5, 1, 100, 100],
      [1, 5, 1, 100, 95], // the lag counts the 5 in handlers
      [2, 5, 1, 95, 90],
      [3, 5, 1, 90, 85],
      [4, 5, 1, 85, 80],
      [5, 5, 5, 80, 75],
      [6, 5, 5, 75, 50],
      [7, 5, 5, 50, 25],
      [8, 5, 5, 25, 0],
    ]);
    expect(sim.timeline[9]?.lag).toBe(0);
    expect(sim.events[1]?.reason).toBe(
      'hpa: lag 0 over 5 replicas, target 5 each (ratio 0.00, outside ±10 %): wants ceil(0 / 5) = 0; no higher recommendation in the last 300 s; kept at minReplicas 1',
    );
  });

  it('settles a steady rate at the count the HPA reads off the lag', () => {
    // 50 msg/s × 200 ms: 10 messages in handlers at any time (Little's law), which is the lag.
    // Handlers need ceil(50 × 0.2 / 5) = 2 replicas; the HPA keeps ceil(10 / lagThreshold).
    const run = (lagThreshold: number) =>
      simulate(settings({ lagThreshold }), { rate: 50, handlerMs: 200, durationSeconds: 900 });
    const five = run(5);
    // One replica takes 25/s until the HPA's 5 (at 15) are ready at 20; 500 pending then drain at
    // 125 − 50 = 75/s: none pending from 27.
    expect(five.summary).toMatchObject({ capacityReplicas: 2, finalReplicas: 2, drainedAt: 27 });
    expect(five.timeline.at(-1)).toEqual({
      t: 899,
      desired: 2,
      ready: 2,
      lag: 10,
      pending: 0,
      oldestWait: 0,
    });
    const two = run(2);
    expect(two.summary).toMatchObject({ capacityReplicas: 2, finalReplicas: 5 });
    expect(two.timeline.at(-1)?.lag).toBe(10);
  });

  it('wakes a service from zero, and scales it to zero after cooldownPeriod', () => {
    // KEDA: 0 → 1 at 0 (lag 10 > 0); the HPA, in the same second: ceil(10 / 5) = 2. Both pods take
    // the 10 messages at 5; the lag is 0 from 7. The HPA's window (30 s) lets it go to 1 at 30;
    // KEDA, last active at 5, scales to 0 at the first poll after 35: 40.
    const sim = simulate(settings({ minReplicas: 0, cooldownPeriod: 30 }), {
      rate: 0,
      handlerMs: 1000,
      burst: 10,
      durationSeconds: 120,
    });
    expect(moves(sim)).toEqual([
      [0, 'keda', 0, 1, 'activate'],
      [0, 'hpa', 1, 2, 'DesiredWithinRange'],
      [30, 'hpa', 2, 1, 'TooFewReplicas'],
      [40, 'keda', 1, 0, 'deactivate'],
    ]);
    expect(sim.summary).toMatchObject({
      drainedAt: 6,
      podSeconds: 2 * 30 + 1 * 10,
      maxWaitSeconds: 5,
      finalReplicas: 0,
    });
  });

  it('says when the backlog never drains', () => {
    // 100 arrive each second; one replica takes 5/s until the HPA's second (at 15) is ready at 20,
    // then two take 10/s. At 60 the oldest waiting message arrived at 5.
    const sim = simulate(settings({ maxReplicas: 2 }), {
      rate: 100,
      handlerMs: 1000,
      durationSeconds: 60,
    });
    expect(sim.summary).toMatchObject({
      drainedAt: null,
      peakReplicas: 2,
      capacityReplicas: 20,
      arrived: 6000,
      handled: 20 * 5 + 40 * 10,
      maxWaitSeconds: 55,
    });
  });

  it('adds pods ready startupSeconds later, and is deterministic', () => {
    const profile = {
      rate: 0,
      handlerMs: 1000,
      burst: 100,
      durationSeconds: 30,
      startupSeconds: 12,
    };
    const sim = simulate(settings(), profile);
    expect(sim.timeline.find((p) => p.ready === 5)?.t).toBe(12);
    expect(simulate(settings(), profile)).toEqual(sim);
  });

  it('rejects a profile it cannot run', () => {
    expect(() => simulate(settings(), { rate: -1, handlerMs: 1, durationSeconds: 1 })).toThrow(
      new ProfileError('load profile: rate must be a number ≥ 0'),
    );
    expect(() => simulate(settings(), { rate: 1, handlerMs: 1, durationSeconds: 86_401 })).toThrow(
      ProfileError,
    );
  });
});

describe('the model agrees with what the platform renders and runs', () => {
  const claim = validateClaim(claimWithSpec({ scaling: { cooldownPeriod: 120 } }));
  if (!claim.ok) throw new Error('the test claim is invalid');
  interface Rendered {
    readonly kind: string;
    readonly spec: {
      readonly template: {
        readonly spec: {
          readonly containers: { readonly readinessProbe: Record<string, number> }[];
        };
      };
      readonly advanced: {
        readonly horizontalPodAutoscalerConfig: {
          readonly behavior: { readonly scaleDown: object };
        };
      };
    };
  }
  const objects = render(claim.claim, claim.claim.spec).map((r) => r.object as unknown as Rendered);
  const deployment = objects.find((o) => o.kind === 'Deployment');
  const scaledObject = objects.find((o) => o.kind === 'ScaledObject');

  it("starts pods after the readiness probe's initialDelaySeconds", () => {
    expect(deployment?.spec.template.spec.containers[0]?.readinessProbe.initialDelaySeconds).toBe(
      DEFAULT_STARTUP_SECONDS,
    );
  });

  it('uses the scale-down stabilization window the ScaledObject sets', () => {
    const rendered = scaledObject?.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown;
    expect(rendered).toEqual({ stabilizationWindowSeconds: 120 });
    expect(scalingSettings(claim.claim.spec.scaling).cooldownPeriod).toBe(120);
  });

  it("takes the worker's default concurrency", () => {
    expect(DEFAULT_CONCURRENCY).toBe(WORKER_DEFAULTS.concurrency);
  });

  it('reads the claim defaults', () => {
    const min = validateClaim(minimalClaim());
    if (!min.ok) throw new Error('the minimal claim is invalid');
    expect(scalingSettings(min.claim.spec.scaling)).toEqual({
      minReplicas: 1,
      maxReplicas: 10,
      lagThreshold: 5,
      pollingInterval: 5,
      cooldownPeriod: 300,
      activationLagThreshold: 0,
    });
  });
});

describe('the chart', () => {
  it('draws three series and escapes the title', () => {
    const sim = simulate(settings(), {
      rate: 50,
      handlerMs: 200,
      burst: 1000,
      durationSeconds: 3600,
    });
    const svg = simulationSvg(sim, '<a&b>');
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg).toContain('<title>&#60;a&#38;b&#62;</title>');
    expect(svg).not.toContain('<a&b>');
    // 3600 points in buckets of 6: 600 per series.
    const first = /points="([^"]*)"/.exec(svg)?.[1] ?? '';
    expect(first.split(' ')).toHaveLength(600);
  });
});
