/**
 * One second of the autoscalers, in the order a cluster runs them: KEDA's poll (when due), then
 * the HPA's sync (when due) with the replica count KEDA left. Used by the simulator (simulate.ts)
 * and by `eds dev`, which feeds it the lag it reads from a real server. Pure.
 */
import { HPA_INITIAL_STATE, hpaSync, isHpaSync, type HpaLimit, type HpaState } from './hpa.js';
import {
  KEDA_INITIAL_STATE,
  isKedaPoll,
  kedaPoll,
  type KedaAction,
  type KedaState,
  type Reading,
} from './keda.js';
import type { ScalingSettings } from './settings.js';

export interface ScalingEvent {
  readonly at: number;
  readonly by: 'keda' | 'hpa';
  readonly from: number;
  readonly to: number;
  /** KEDA's action or the HPA's limiting condition. */
  readonly kind: KedaAction | HpaLimit;
  readonly reason: string;
}

/** What KEDA and the HPA controller remember between steps. */
export interface AutoscalerState {
  readonly keda: KedaState;
  readonly hpa: HpaState;
}

export const AUTOSCALER_INITIAL_STATE: AutoscalerState = {
  keda: KEDA_INITIAL_STATE,
  hpa: HPA_INITIAL_STATE,
};

/** Whether either autoscaler looks at the lag at second `at` (so the caller need read it). */
export function isScalingSecond(at: number, settings: ScalingSettings): boolean {
  return isKedaPoll(at, settings) || isHpaSync(at);
}

/**
 * The autoscalers at second `at` (a whole number), given the lag read then: the changes they make,
 * in order (each `to` is the Deployment's new replica count), and the count they leave.
 */
export function autoscalerStep(
  settings: ScalingSettings,
  state: AutoscalerState,
  reading: Reading,
): { readonly state: AutoscalerState; readonly events: ScalingEvent[]; readonly replicas: number } {
  const { at, lag } = reading;
  const events: ScalingEvent[] = [];
  let { keda, hpa } = state;
  let replicas = reading.replicas;
  if (isKedaPoll(at, settings)) {
    const r = kedaPoll(settings, keda, { at, replicas, lag });
    keda = r.state;
    const d = r.decision;
    if (d.to !== d.from) {
      events.push({ at, by: 'keda', from: d.from, to: d.to, kind: d.action, reason: d.reason });
      replicas = d.to;
    }
  }
  if (isHpaSync(at)) {
    const r = hpaSync(settings, hpa, { at, replicas, lag });
    hpa = r.state;
    const d = r.decision;
    if (d.to !== d.from) {
      events.push({ at, by: 'hpa', from: d.from, to: d.to, kind: d.limit, reason: d.reason });
      replicas = d.to;
    }
  }
  return { state: { keda, hpa }, events, replicas };
}

/** A pod as scale-in sees it: when it became (or becomes) ready. */
export interface ScaleInCandidate {
  readonly readyAt: number;
}

/**
 * The pods a scale-in keeps, removing `n`: not-ready ones first (newest first), then the most
 * recently ready, as a ReplicaSet picks them (pkg/controller/replicaset, getPodsToDelete).
 */
export function keepAfterScaleIn<T extends ScaleInCandidate>(
  pods: readonly T[],
  n: number,
  now: number,
): T[] {
  const order = [...pods].sort((a, b) => {
    const aReady = a.readyAt <= now;
    const bReady = b.readyAt <= now;
    return aReady === bReady ? b.readyAt - a.readyAt : aReady ? 1 : -1;
  });
  return order.slice(n);
}
