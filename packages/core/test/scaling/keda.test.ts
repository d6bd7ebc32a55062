import { describe, expect, it } from 'vitest';
import {
  KEDA_INITIAL_STATE,
  isActive,
  isKedaPoll,
  kedaPoll,
  scalingSettings,
  type KedaState,
  type ScalingSettings,
} from '../../src/scaling/index.js';

const settings = (over: Partial<ScalingSettings> = {}): ScalingSettings => ({
  ...scalingSettings({
    minReplicas: 0,
    maxReplicas: 10,
    lagThreshold: 5,
    pollingInterval: 5,
    cooldownPeriod: 300,
  }),
  ...over,
});

describe('KEDA polls', () => {
  it('at 0 and every pollingInterval (scale_handler.go startScaleLoop)', () => {
    const s = settings({ pollingInterval: 5 });
    expect([0, 1, 4, 5, 10, 12].map((t) => isKedaPoll(t, s))).toEqual([
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
  });

  it('counts the trigger active when the lag is above activationLagThreshold (GetMetricsAndActivity)', () => {
    expect(isActive(0, settings())).toBe(false);
    expect(isActive(1, settings())).toBe(true);
    expect(isActive(10, settings({ activationLagThreshold: 10 }))).toBe(false);
    expect(isActive(11, settings({ activationLagThreshold: 10 }))).toBe(true);
  });

  it("takes no activationLagThreshold as KEDA's default, 0", () => {
    expect(settings().activationLagThreshold).toBe(0);
  });
});

describe('activation from zero (scale_scaledobjects.go RequestScale → scaleFromZeroOrIdle)', () => {
  it('scales 0 → 1 with minReplicas 0, and records the activity', () => {
    const r = kedaPoll(settings(), KEDA_INITIAL_STATE, { at: 10, replicas: 0, lag: 3 });
    expect(r.state).toEqual({ lastActiveAt: 10 });
    expect(r.decision).toEqual({
      at: 10,
      active: true,
      action: 'activate',
      from: 0,
      to: 1,
      reason: 'keda: lag 3 > activationLagThreshold 0, trigger active at 0 replicas: scale to 1',
    });
  });

  it('scales 0 → minReplicas when it is above 0', () => {
    expect(
      kedaPoll(settings({ minReplicas: 3 }), {}, { at: 0, replicas: 0, lag: 1 }).decision.to,
    ).toBe(3);
  });

  it('stays at zero at or below activationLagThreshold', () => {
    const r = kedaPoll(
      settings({ activationLagThreshold: 10 }),
      {},
      { at: 0, replicas: 0, lag: 10 },
    );
    expect(r.decision).toMatchObject({ active: false, action: 'none', to: 0 });
  });

  it('leaves a running service to the HPA while active, renewing lastActiveTime', () => {
    const r = kedaPoll(settings(), { lastActiveAt: 5 }, { at: 20, replicas: 4, lag: 100 });
    expect(r.state).toEqual({ lastActiveAt: 20 });
    expect(r.decision).toMatchObject({ action: 'none', from: 4, to: 4 });
  });
});

describe('scale to zero after cooldownPeriod (scaleToZeroOrIdle)', () => {
  const poll = (state: KedaState, at: number) =>
    kedaPoll(settings(), state, { at, replicas: 2, lag: 0 }).decision;

  it('waits until lastActiveTime + cooldownPeriod is before now, strictly', () => {
    const state = { lastActiveAt: 100 };
    expect(poll(state, 395)).toMatchObject({ action: 'cooling-down', to: 2 });
    expect(poll(state, 400)).toMatchObject({ action: 'cooling-down', to: 2 }); // 400 is not before 400
    expect(poll(state, 405)).toMatchObject({ action: 'deactivate', to: 0 });
    expect(poll(state, 405).reason).toBe(
      'keda: lag 0 <= activationLagThreshold 0, last active at 100 s, more than cooldownPeriod 300 s ago: scale to 0',
    );
  });

  it('scales a never-active service to zero at once (initialCooldownPeriod 0)', () => {
    expect(poll(KEDA_INITIAL_STATE, 0)).toMatchObject({ action: 'deactivate', to: 0 });
  });

  it('never scales to zero with minReplicas above 0', () => {
    const r = kedaPoll(
      settings({ minReplicas: 1 }),
      { lastActiveAt: 0 },
      { at: 10_000, replicas: 3, lag: 0 },
    );
    expect(r.decision).toMatchObject({ action: 'none', to: 3 });
  });

  it('restores minReplicaCount when inactive below it', () => {
    const r = kedaPoll(settings({ minReplicas: 2 }), {}, { at: 0, replicas: 0, lag: 0 });
    expect(r.decision).toMatchObject({ action: 'restore-min', to: 2 });
  });
});
