/**
 * The HorizontalPodAutoscaler's part of the scaling: every sync it turns the lag into a replica
 * count (an External metric with an `AverageValue` target of `lagThreshold`), stabilizes it,
 * limits the rate of change by the behavior's policies and clamps it to [minReplicas, maxReplicas].
 * It does nothing while the Deployment is at zero (KEDA's part, keda.ts). Pure: time is the
 * caller's, in seconds, and the controller's memory is the `HpaState` passed in and returned.
 *
 * Follows kubernetes v1.35.5, pkg/controller/podautoscaler:
 * - horizontal.go, reconcileAutoscaler: disabled at zero, out-of-range counts, the rescale.
 * - replica_calculator.go, GetExternalPerPodMetricReplicas and Tolerances.isWithin.
 * - horizontal.go, normalizeDesiredReplicasWithBehaviors, stabilizeRecommendationWithBehaviors,
 *   convertDesiredReplicasWithBehaviorRate, calculateScaleUpLimitWithScalingRules,
 *   calculateScaleDownLimitWithBehaviors, getReplicasChangePerPeriod, storeScaleEvent and
 *   recordInitialRecommendation.
 * Time comparisons are strict, as upstream's `time.After`/`time.Before` are.
 */
import type { Reading } from './keda.js';
import {
  HPA_SYNC_PERIOD_SECONDS,
  HPA_TOLERANCE,
  hpaBehavior,
  hpaMinReplicas,
  type HpaBehavior,
  type ScalingRules,
  type ScalingSettings,
} from './settings.js';

interface Timestamped {
  readonly at: number;
}
export interface Recommendation extends Timestamped {
  readonly replicas: number;
}
/** A rescale the HPA made: how many pods it added (or removed), never negative. */
export interface ScaleEvent extends Timestamped {
  readonly change: number;
}

export interface HpaState {
  /** Unstabilized recommendations; absent before the first sync (recordInitialRecommendation). */
  readonly recommendations?: readonly Recommendation[];
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
}

export const HPA_INITIAL_STATE: HpaState = { scaleUpEvents: [], scaleDownEvents: [] };

/** Why the HPA's count is what it is: upstream's condition reasons, plus the early exits. */
export type HpaLimit =
  | 'ScalingDisabled'
  | 'AboveMaxReplicas'
  | 'BelowMinReplicas'
  | 'DesiredWithinRange'
  | 'ScaleUpLimit'
  | 'TooManyReplicas'
  | 'ScaleDownLimit'
  | 'TooFewReplicas';

export interface HpaDecision {
  readonly at: number;
  readonly lag: number;
  readonly from: number;
  readonly to: number;
  /** From the metric alone: ceil(lag / lagThreshold), or the current count within tolerance. */
  readonly metricReplicas?: number;
  /** After the stabilization windows. */
  readonly stabilized?: number;
  readonly limit: HpaLimit;
  readonly reason: string;
}

/** Whether the HPA syncs at second `at` (every 15 s from 0). */
export function isHpaSync(at: number): boolean {
  return at % HPA_SYNC_PERIOD_SECONDS === 0;
}

export interface MetricReplicas {
  readonly replicas: number;
  /** lag / (lagThreshold × statusReplicas). */
  readonly ratio: number;
  readonly withinTolerance: boolean;
}

/**
 * Replicas for an External metric with an AverageValue target (GetExternalPerPodMetricReplicas):
 * the current count when the usage ratio is within the tolerance (inclusive both ways,
 * Tolerances.isWithin), else ceil(lag / lagThreshold). Computed in milli-units, as the metric
 * (KEDA's GenerateMetricInMili) and the target (`MilliValue()`) are.
 */
export function externalPerPodReplicas(
  lag: number,
  lagThreshold: number,
  statusReplicas: number,
  tolerance = HPA_TOLERANCE,
): MetricReplicas {
  const usage = lag * 1000;
  const target = lagThreshold * 1000;
  const ratio = usage / (target * statusReplicas);
  const withinTolerance = 1 - tolerance <= ratio && ratio <= 1 + tolerance;
  return {
    replicas: withinTolerance ? statusReplicas : Math.ceil(usage / target),
    ratio,
    withinTolerance,
  };
}

/** Pods added (or removed) by events inside the last `periodSeconds` (getReplicasChangePerPeriod). */
export function changeInPeriod(
  events: readonly ScaleEvent[],
  periodSeconds: number,
  now: number,
): number {
  const cutoff = now - periodSeconds;
  return events.reduce((n, e) => (e.at > cutoff ? n + e.change : n), 0);
}

type Events = Pick<HpaState, 'scaleUpEvents' | 'scaleDownEvents'>;

const periodStart = (current: number, events: Events, periodSeconds: number, now: number) =>
  current -
  changeInPeriod(events.scaleUpEvents, periodSeconds, now) +
  changeInPeriod(events.scaleDownEvents, periodSeconds, now);

/**
 * The most replicas the scale-up policies allow now (calculateScaleUpLimitWithScalingRules):
 * per policy, the count at the start of its period plus `value` pods or `value` % (rounded up);
 * `Max` takes the largest.
 */
export function scaleUpLimit(
  current: number,
  events: Events,
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = periodStart(current, events, p.periodSeconds, now);
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
}

/**
 * The fewest replicas the scale-down policies allow now (calculateScaleDownLimitWithBehaviors):
 * per policy, the count at the start of its period less `value` pods or `value` % (truncated);
 * `Max` (the largest change) takes the smallest.
 */
export function scaleDownLimit(
  current: number,
  events: Events,
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = periodStart(current, events, p.periodSeconds, now);
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
}

/**
 * The recommendation within the windows (stabilizeRecommendationWithBehaviors): no lower than
 * the lowest recommendation of the scale-up window, no higher than the highest of the scale-down
 * window, each window including the new recommendation and starting from the current count.
 */
export function stabilize(
  current: number,
  desired: number,
  recommendations: readonly Recommendation[],
  behavior: HpaBehavior,
  now: number,
): number {
  const upCutoff = now - behavior.scaleUp.stabilizationWindowSeconds;
  const downCutoff = now - behavior.scaleDown.stabilizationWindowSeconds;
  let up = desired;
  let down = desired;
  for (const r of recommendations) {
    if (r.at > upCutoff) up = Math.min(up, r.replicas);
    if (r.at > downCutoff) down = Math.max(down, r.replicas);
  }
  return Math.min(Math.max(current, up), down);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Keeps what a later sync can still read: upstream reuses the slots of older entries. */
function prune<T extends Timestamped>(items: readonly T[], seconds: number, now: number): T[] {
  return items.filter((i) => i.at > now - seconds);
}

/**
 * Scale events count in the limits of both directions (periodStart), so they are kept for the
 * longest policy period of either; upstream marks them outdated per direction but still counts
 * them until a new event takes their slot (storeScaleEvent, markScaleEventsOutdated).
 */
const longestPeriod = (behavior: HpaBehavior) =>
  Math.max(
    0,
    ...[...behavior.scaleUp.policies, ...behavior.scaleDown.policies].map((p) => p.periodSeconds),
  );

/** One HPA sync (reconcileAutoscaler with a behavior, which our ScaledObject always sets). */
export function hpaSync(
  settings: ScalingSettings,
  state: HpaState,
  reading: Reading,
  behavior: HpaBehavior = hpaBehavior(settings),
): { readonly state: HpaState; readonly decision: HpaDecision } {
  const { at, replicas: current, lag } = reading;
  const min = hpaMinReplicas(settings);
  const max = settings.maxReplicas;
  const recommendations = state.recommendations ?? [{ replicas: current, at }];
  const base = { at, lag, from: current };

  let desired: number;
  let limit: HpaLimit;
  let reason: string;
  let detail: Pick<HpaDecision, 'metricReplicas' | 'stabilized'> = {};
  let nextRecommendations = recommendations;
  if (current === 0) {
    return {
      state: { ...state, recommendations },
      decision: {
        ...base,
        to: 0,
        limit: 'ScalingDisabled',
        reason: 'hpa: scaling is disabled since the replica count of the target is zero',
      },
    };
  } else if (current > max) {
    [desired, limit, reason] = [
      max,
      'AboveMaxReplicas',
      `hpa: ${current} replicas is above maxReplicas ${max}`,
    ];
  } else if (current < min) {
    [desired, limit, reason] = [
      min,
      'BelowMinReplicas',
      `hpa: ${current} replicas is below minReplicas ${min}`,
    ];
  } else {
    const metric = externalPerPodReplicas(lag, settings.lagThreshold, current);
    const stabilized = stabilize(current, metric.replicas, recommendations, behavior, at);
    nextRecommendations = [
      ...prune(
        recommendations,
        Math.max(
          behavior.scaleUp.stabilizationWindowSeconds,
          behavior.scaleDown.stabilizationWindowSeconds,
        ),
        at,
      ),
      { replicas: metric.replicas, at },
    ];
    detail = { metricReplicas: metric.replicas, stabilized };
    const perReplica = `${lag} over ${plural(current, 'replica')}, target ${settings.lagThreshold} each`;
    const tolerance = `ratio ${metric.ratio.toFixed(2)}, ${metric.withinTolerance ? 'within' : 'outside'} ±${HPA_TOLERANCE * 100} %`;
    const wants = metric.withinTolerance
      ? `keeps ${current}`
      : `wants ceil(${lag} / ${settings.lagThreshold}) = ${metric.replicas}`;
    const parts = [`hpa: lag ${perReplica} (${tolerance}): ${wants}`];
    if (stabilized < current && stabilized === metric.replicas) {
      parts.push(
        `no higher recommendation in the last ${behavior.scaleDown.stabilizationWindowSeconds} s`,
      );
    }
    if (stabilized !== metric.replicas) {
      parts.push(
        stabilized > metric.replicas
          ? `held at ${stabilized} by the scale-down stabilization window (${behavior.scaleDown.stabilizationWindowSeconds} s)`
          : `held at ${stabilized} by the scale-up stabilization window (${behavior.scaleUp.stabilizationWindowSeconds} s)`,
      );
    }
    [desired, limit] = limitRate(current, stabilized, min, max, state, behavior, at);
    if (limit === 'ScaleUpLimit') parts.push(`scale-up policies allow at most ${desired} now`);
    if (limit === 'TooManyReplicas') parts.push(`capped at maxReplicas ${max}`);
    if (limit === 'ScaleDownLimit')
      parts.push(`scale-down policies allow no fewer than ${desired} now`);
    if (limit === 'TooFewReplicas') parts.push(`kept at minReplicas ${min}`);
    reason = parts.join('; ');
  }

  const events: Events =
    desired === current
      ? state
      : desired > current
        ? {
            scaleUpEvents: [
              ...prune(state.scaleUpEvents, longestPeriod(behavior), at),
              { change: desired - current, at },
            ],
            scaleDownEvents: state.scaleDownEvents,
          }
        : {
            scaleUpEvents: state.scaleUpEvents,
            scaleDownEvents: [
              ...prune(state.scaleDownEvents, longestPeriod(behavior), at),
              { change: current - desired, at },
            ],
          };
  return {
    state: { recommendations: nextRecommendations, ...events },
    decision: { ...base, to: desired, ...detail, limit, reason },
  };
}

/** convertDesiredReplicasWithBehaviorRate: the policies' limits, then minReplicas and maxReplicas. */
function limitRate(
  current: number,
  desired: number,
  min: number,
  max: number,
  events: Events,
  behavior: HpaBehavior,
  now: number,
): [number, HpaLimit] {
  if (desired > current) {
    // A limit below the current count means "no further scale-up until the events age out".
    const up = Math.max(scaleUpLimit(current, events, behavior.scaleUp, now), current);
    const [allowed, limit]: [number, HpaLimit] =
      max > up ? [up, 'ScaleUpLimit'] : [max, 'TooManyReplicas'];
    return desired > allowed ? [allowed, limit] : [desired, 'DesiredWithinRange'];
  }
  if (desired < current) {
    const down = Math.min(scaleDownLimit(current, events, behavior.scaleDown, now), current);
    const [allowed, limit]: [number, HpaLimit] =
      min < down ? [down, 'ScaleDownLimit'] : [min, 'TooFewReplicas'];
    return desired < allowed ? [allowed, limit] : [desired, 'DesiredWithinRange'];
  }
  return [desired, 'DesiredWithinRange'];
}
