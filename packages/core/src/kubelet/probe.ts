/**
 * Probe timing and thresholds, as the kubelet's prober worker applies them
 * (pkg/kubelet/prober/worker.go): a result changes only after `successThreshold` successes or
 * `failureThreshold` failures in a row; readiness and startup start as failure, liveness as
 * success; a failed liveness or startup probe holds until the container restarts.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe
 */
/** The Probe fields the timing reads (a `V1Probe`, as the API server returns it, has them). */
export interface Probe {
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly successThreshold?: number;
  readonly failureThreshold?: number;
}

export type ProbeKind = 'startup' | 'liveness' | 'readiness';

/** Defaults of the Probe fields (pkg/apis/core/v1/defaults.go `SetDefaults_Probe`). */
export const PROBE_DEFAULTS = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
} as const;

export interface ProbeTiming {
  readonly initialDelayMs: number;
  readonly periodMs: number;
  readonly timeoutMs: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
}

const positive = (v: number | undefined, d: number) => (v === undefined || v <= 0 ? d : v);

export function probeTiming(probe: Probe): ProbeTiming {
  return {
    initialDelayMs:
      Math.max(0, probe.initialDelaySeconds ?? PROBE_DEFAULTS.initialDelaySeconds) * 1000,
    periodMs: positive(probe.periodSeconds, PROBE_DEFAULTS.periodSeconds) * 1000,
    timeoutMs: positive(probe.timeoutSeconds, PROBE_DEFAULTS.timeoutSeconds) * 1000,
    successThreshold: positive(probe.successThreshold, PROBE_DEFAULTS.successThreshold),
    failureThreshold: positive(probe.failureThreshold, PROBE_DEFAULTS.failureThreshold),
  };
}

export interface ProbeState {
  /** The result the kubelet acts on. */
  readonly passing: boolean;
  /** The last raw outcome and how many times in a row it came. */
  readonly last: boolean | undefined;
  readonly run: number;
  /** Liveness or startup failed: no more probes until the container restarts. */
  readonly onHold: boolean;
}

export function initialProbeState(kind: ProbeKind): ProbeState {
  return { passing: kind === 'liveness', last: undefined, run: 0, onHold: false };
}

/** The state after one probe that succeeded (`ok`) or failed. */
export function recordProbe(
  kind: ProbeKind,
  state: ProbeState,
  ok: boolean,
  timing: ProbeTiming,
): ProbeState {
  const run = state.last === ok ? state.run + 1 : 1;
  const threshold = ok ? timing.successThreshold : timing.failureThreshold;
  if (run < threshold) return { ...state, last: ok, run };
  const hold = !ok && kind !== 'readiness';
  return { passing: ok, last: ok, run: hold ? 0 : run, onHold: hold };
}

/** When the next probe is due: `initialDelay` after the start, then every period. */
export function nextProbeAt(
  startedMs: number,
  lastMs: number | undefined,
  timing: ProbeTiming,
): number {
  return lastMs === undefined ? startedMs + timing.initialDelayMs : lastMs + timing.periodMs;
}
