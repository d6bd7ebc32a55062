/**
 * KEDA's part of the scaling: every `pollingInterval` it reads the lag, decides whether the
 * trigger is active, and scales the Deployment itself only between zero and the HPA's range
 * (from 0 to max(minReplicas, 1) when active; to 0 after `cooldownPeriod` without activity).
 * Everything in between is the HPA's (hpa.ts). Pure: time is the caller's, in seconds.
 *
 * Follows KEDA v2.20.2:
 * - pkg/scaling/scale_handler.go, startScaleLoop: a poll at start, then every pollingInterval.
 * - pkg/scalers/nats_jetstream_scaler.go, GetMetricsAndActivity and getMaxMsgLag: the lag is the
 *   consumer's num_pending + num_ack_pending; active when lag > activationLagThreshold.
 * - pkg/scaling/executor/scale_scaledobjects.go, RequestScale, scaleFromZeroOrIdle and
 *   scaleToZeroOrIdle: what one poll does to the replica count.
 */
import type { ScalingSettings } from './settings.js';

/** What KEDA remembers between polls: the ScaledObject's `status.lastActiveTime`. */
export interface KedaState {
  /** Seconds; absent until the trigger has been active once. */
  readonly lastActiveAt?: number;
}

export const KEDA_INITIAL_STATE: KedaState = {};

/** One reading of the world, at one moment. */
export interface Reading {
  /** Seconds since the start of the run. */
  readonly at: number;
  /** The Deployment's replica count (`spec.replicas`, as the scale subresource reports it). */
  readonly replicas: number;
  /** Messages pending plus ack-pending on the consumer. */
  readonly lag: number;
}

export type KedaAction =
  /** 0 → max(minReplicas, 1): the trigger became active. */
  | 'activate'
  /** N → 0: inactive for longer than cooldownPeriod, minReplicas 0. */
  | 'deactivate'
  /** Inactive and below minReplicaCount: set to it. */
  | 'restore-min'
  /** Inactive, minReplicas 0, still within cooldownPeriod of the last activity. */
  | 'cooling-down'
  /** Nothing for KEDA to do; the HPA owns the count. */
  | 'none';

export interface KedaDecision {
  readonly at: number;
  readonly active: boolean;
  readonly action: KedaAction;
  readonly from: number;
  readonly to: number;
  readonly reason: string;
}

/** Whether KEDA polls at second `at` (a poll at 0, then every pollingInterval; startScaleLoop). */
export function isKedaPoll(at: number, settings: ScalingSettings): boolean {
  return at % settings.pollingInterval === 0;
}

/** The trigger's activity: lag above activationLagThreshold (GetMetricsAndActivity). */
export function isActive(lag: number, settings: ScalingSettings): boolean {
  return lag > settings.activationLagThreshold;
}

/** One KEDA poll: the activity, and the replica count KEDA sets, if any (RequestScale). */
export function kedaPoll(
  settings: ScalingSettings,
  state: KedaState,
  reading: Reading,
): { readonly state: KedaState; readonly decision: KedaDecision } {
  const { at, replicas, lag } = reading;
  const active = isActive(lag, settings);
  const decide = (action: KedaAction, to: number, reason: string): KedaDecision => ({
    at,
    active,
    action,
    from: replicas,
    to,
    reason,
  });
  const activity = `lag ${lag} ${active ? '>' : '<='} activationLagThreshold ${settings.activationLagThreshold}`;
  if (active) {
    // Active: lastActiveTime is renewed whether or not KEDA scales (RequestScale sets it in both
    // the scaleFromZeroOrIdle and the default branch).
    const next: KedaState = { lastActiveAt: at };
    if (replicas === 0) {
      // scaleFromZeroOrIdle: minReplicaCount when above 0, else 1.
      const to = Math.max(settings.minReplicas, 1);
      return {
        state: next,
        decision: decide(
          'activate',
          to,
          `keda: ${activity}, trigger active at 0 replicas: scale to ${to}`,
        ),
      };
    }
    return {
      state: next,
      decision: decide('none', replicas, `keda: ${activity}, trigger active; the HPA sizes it`),
    };
  }
  if (replicas > 0 && settings.minReplicas === 0) {
    // scaleToZeroOrIdle: LastActiveTime + cooldownPeriod must be before now (strictly). With no
    // LastActiveTime, the creation time + initialCooldownPeriod (default 0) counts, which the run's
    // start always is before.
    const last = state.lastActiveAt;
    if (last === undefined || last + settings.cooldownPeriod < at) {
      const since =
        last === undefined
          ? 'never active'
          : `last active at ${last} s, more than cooldownPeriod ${settings.cooldownPeriod} s ago`;
      return {
        state,
        decision: decide('deactivate', 0, `keda: ${activity}, ${since}: scale to 0`),
      };
    }
    return {
      state,
      decision: decide(
        'cooling-down',
        replicas,
        `keda: ${activity}, last active at ${last} s; scale to 0 after ${last + settings.cooldownPeriod} s (cooldownPeriod ${settings.cooldownPeriod} s)`,
      ),
    };
  }
  if (replicas < settings.minReplicas) {
    return {
      state,
      decision: decide(
        'restore-min',
        settings.minReplicas,
        `keda: ${activity}, ${replicas} replicas is below minReplicaCount: scale to ${settings.minReplicas}`,
      ),
    };
  }
  return {
    state,
    decision: decide('none', replicas, `keda: ${activity}, trigger inactive; the HPA sizes it`),
  };
}
