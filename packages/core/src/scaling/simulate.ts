/**
 * A discrete-time simulation, one step per second, of a load profile against the scaling rules
 * (keda.ts, hpa.ts): what `eds scale` prints. Deterministic and pure.
 *
 * The model, each second t:
 * 1. A burst (if any) is pending at t = 0; pods whose start-up delay has passed are ready.
 * 2. The lag is read: pending messages plus those in handlers (ack-pending).
 * 3. KEDA polls (every pollingInterval), then the HPA syncs (every 15 s), each with that lag
 *    and the replica count the other left; new pods are ready `startupSeconds` later, removed
 *    ones stop taking work at once (not-ready pods go first, then the most recently ready, as a
 *    ReplicaSet picks them) and finish what they hold.
 * 4. `rate` messages arrive over the second; the ready pods' handlers take them, oldest first, at
 *    up to concurrency × 1000 / handlerMs messages per pod per second.
 * Messages are a fluid (rates need not be whole); a message in a handler counts in the lag for
 * handlerMs after it starts, starts being spread evenly over each second.
 */
import { Backlog } from './backlog.js';
import type { ScalingSettings } from './settings.js';
import {
  AUTOSCALER_INITIAL_STATE,
  autoscalerStep,
  keepAfterScaleIn,
  type ScalingEvent,
} from './step.js';

/**
 * Messages one replica handles at once: the worker's `EDS_CONCURRENCY` default
 * (packages/worker/src/settings.ts, `DEFAULTS.concurrency`). The claim does not set it.
 */
export const DEFAULT_CONCURRENCY = 5;

/**
 * Seconds from a pod's creation to its first messages: the rendered readiness probe's
 * `initialDelaySeconds` (render/deployment.ts), when the kubelet first asks `/ready`. Image pulls
 * and scheduling come on top in a real cluster.
 */
export const DEFAULT_STARTUP_SECONDS = 5;

/** The longest run simulated: a day, at one step per second. */
export const MAX_SIMULATED_SECONDS = 86_400;

export interface LoadProfile {
  /** Messages arriving per second, evenly. */
  readonly rate: number;
  /** Milliseconds one message spends in a handler. */
  readonly handlerMs: number;
  /** Messages already pending at t = 0. Default 0. */
  readonly burst?: number;
  /** Seconds simulated, at most MAX_SIMULATED_SECONDS. */
  readonly durationSeconds: number;
  /** Messages per replica at once. Default DEFAULT_CONCURRENCY. */
  readonly concurrency?: number;
  /** Seconds before a new pod takes work. Default DEFAULT_STARTUP_SECONDS. */
  readonly startupSeconds?: number;
  /** Ready pods at t = 0. Default minReplicas (a service idling before the load). */
  readonly initialReplicas?: number;
}

export type ResolvedProfile = Required<LoadProfile>;

export interface TimelinePoint {
  readonly t: number;
  /** The Deployment's replica count after this second's decisions: pods that exist. */
  readonly desired: number;
  /** Pods taking work. */
  readonly ready: number;
  /** What KEDA and the HPA read at t: pending + ack-pending, rounded to a message. */
  readonly lag: number;
  /** Of the lag, messages no handler has taken yet. */
  readonly pending: number;
  /** Seconds the oldest pending message has waited. */
  readonly oldestWait: number;
}

export interface SimulationSummary {
  /** From this second on no message waits; null: messages still wait when the run ends. */
  readonly drainedAt: number | null;
  readonly peakReplicas: number;
  /** First second at peakReplicas. */
  readonly peakAt: number;
  /** Σ pods that exist, per second. */
  readonly podSeconds: number;
  readonly podMinutes: number;
  /** Longest a message waited for a handler, whole seconds (those still waiting included). */
  readonly maxWaitSeconds: number;
  /** Replicas whose handlers just keep up with `rate`: ceil(rate × handlerMs / 1000 / concurrency). */
  readonly capacityReplicas: number;
  /** The replica count when the run ends. */
  readonly finalReplicas: number;
  readonly arrived: number;
  readonly handled: number;
}

export interface Simulation {
  readonly settings: ScalingSettings;
  readonly profile: ResolvedProfile;
  readonly timeline: readonly TimelinePoint[];
  readonly events: readonly ScalingEvent[];
  readonly summary: SimulationSummary;
}

/** A profile the simulator cannot run: a caller's mistake (the CLI checks its options first). */
export class ProfileError extends RangeError {
  override readonly name = 'ProfileError';
}

function resolveProfile(settings: ScalingSettings, p: LoadProfile): ResolvedProfile {
  const profile: ResolvedProfile = {
    rate: p.rate,
    handlerMs: p.handlerMs,
    burst: p.burst ?? 0,
    durationSeconds: p.durationSeconds,
    concurrency: p.concurrency ?? DEFAULT_CONCURRENCY,
    startupSeconds: p.startupSeconds ?? DEFAULT_STARTUP_SECONDS,
    initialReplicas: p.initialReplicas ?? settings.minReplicas,
  };
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new ProfileError(`load profile: ${what}`);
  };
  check(Number.isFinite(profile.rate) && profile.rate >= 0, 'rate must be a number ≥ 0');
  check(Number.isFinite(profile.handlerMs) && profile.handlerMs > 0, 'handlerMs must be > 0');
  check(Number.isFinite(profile.burst) && profile.burst >= 0, 'burst must be ≥ 0');
  check(
    Number.isInteger(profile.durationSeconds) &&
      profile.durationSeconds >= 1 &&
      profile.durationSeconds <= MAX_SIMULATED_SECONDS,
    `durationSeconds must be a whole number from 1 to ${MAX_SIMULATED_SECONDS}`,
  );
  check(
    Number.isInteger(profile.concurrency) && profile.concurrency >= 1,
    'concurrency must be ≥ 1',
  );
  check(
    Number.isInteger(profile.startupSeconds) && profile.startupSeconds >= 0,
    'startupSeconds must be a whole number ≥ 0',
  );
  check(
    Number.isInteger(profile.initialReplicas) && profile.initialReplicas >= 0,
    'initialReplicas must be a whole number ≥ 0',
  );
  return profile;
}

/** Runs `profile` against the rules with `settings`, one step per second. */
export function simulate(settings: ScalingSettings, input: LoadProfile): Simulation {
  const profile = resolveProfile(settings, input);
  const { rate, handlerMs, burst, durationSeconds, concurrency, startupSeconds } = profile;
  const handlerSeconds = handlerMs / 1000;
  const backlog = new Backlog();
  // started[s]: messages handed to handlers before second s (started[0] = 0).
  const started = new Float64Array(durationSeconds + 1);
  // Messages started in the open interval (x, now), starts spread evenly over each second.
  const startedBefore = (x: number): number => {
    if (x <= 0) return 0;
    const s = Math.floor(x);
    const at = started[s] ?? 0;
    return at + ((started[s + 1] ?? at) - at) * (x - s);
  };

  let pods: { readonly readyAt: number }[] = Array.from(
    { length: profile.initialReplicas },
    () => ({ readyAt: 0 }),
  );
  let autoscaler = AUTOSCALER_INITIAL_STATE;
  const timeline: TimelinePoint[] = [];
  const events: ScalingEvent[] = [];
  let podSeconds = 0;
  let maxWait = 0;
  let arrived = 0;

  const scaleTo = (to: number, t: number) => {
    if (to > pods.length) {
      pods = [
        ...pods,
        ...Array.from({ length: to - pods.length }, () => ({ readyAt: t + startupSeconds })),
      ];
    } else if (to < pods.length) {
      pods = keepAfterScaleIn(pods, pods.length - to, t);
    }
  };

  if (burst > 0) {
    backlog.add(burst, 0, 0);
    arrived += burst;
  }
  for (let t = 0; t < durationSeconds; t++) {
    const inHandlers = (started[t] ?? 0) - startedBefore(t - handlerSeconds);
    const lag = Math.round(backlog.pending + inHandlers);

    const step = autoscalerStep(settings, autoscaler, { at: t, replicas: pods.length, lag });
    autoscaler = step.state;
    for (const e of step.events) {
      events.push(e);
      scaleTo(e.to, t);
    }

    const ready = pods.filter((p) => p.readyAt <= t).length;
    const oldest = backlog.oldestArrival();
    const oldestWait = oldest === undefined ? 0 : t - oldest;
    maxWait = Math.max(maxWait, oldestWait);
    timeline.push({
      t,
      desired: pods.length,
      ready,
      lag,
      pending: Math.round(backlog.pending),
      oldestWait: Math.floor(oldestWait),
    });
    podSeconds += pods.length;

    backlog.add(rate, t, t + 1);
    arrived += rate;
    const { taken, longestWait } = backlog.take((ready * concurrency) / handlerSeconds, t);
    maxWait = Math.max(maxWait, longestWait);
    started[t + 1] = (started[t] ?? 0) + taken;
  }
  const end = backlog.oldestArrival();
  if (end !== undefined) maxWait = Math.max(maxWait, durationSeconds - end);

  return {
    settings,
    profile,
    timeline,
    events,
    summary: summarize(timeline, profile, {
      podSeconds,
      maxWait,
      arrived,
      handled: started[durationSeconds] ?? 0,
      waitingAtEnd: backlog.pending > 0.5,
    }),
  };
}

function summarize(
  timeline: readonly TimelinePoint[],
  profile: ResolvedProfile,
  totals: {
    readonly podSeconds: number;
    readonly maxWait: number;
    readonly arrived: number;
    readonly handled: number;
    readonly waitingAtEnd: boolean;
  },
): SimulationSummary {
  let lastWaiting = -1;
  let peak = timeline[0] ?? { t: 0, desired: 0 };
  for (const p of timeline) {
    if (p.pending > 0) lastWaiting = p.t;
    if (p.desired > peak.desired) peak = p;
  }
  return {
    drainedAt: totals.waitingAtEnd ? null : lastWaiting + 1,
    peakReplicas: peak.desired,
    peakAt: peak.t,
    podSeconds: totals.podSeconds,
    podMinutes: totals.podSeconds / 60,
    maxWaitSeconds: Math.floor(totals.maxWait),
    // Less a hair, so that 50 × 200 / 1000 / 5 = 2.0000000000000004 stays 2.
    capacityReplicas: Math.max(
      0,
      Math.ceil((profile.rate * profile.handlerMs) / (1000 * profile.concurrency) - 1e-9),
    ),
    finalReplicas: timeline.at(-1)?.desired ?? profile.initialReplicas,
    arrived: totals.arrived,
    handled: Math.round(totals.handled),
  };
}
