/**
 * The kubelet's restart and image-pull back-off (k8s.io/client-go/util/flowcontrol `Backoff`,
 * as pkg/kubelet uses it, without jitter): 10 s, doubling on each restart to 5 min; an entry
 * last updated more than twice the maximum before the event is forgotten (a container that ran
 * for 10 minutes starts again at 10 s).
 */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Crash loops and image pulls: 10 s to 5 min (pkg/kubelet `backOffPeriod`, `MaxContainerBackOff`). */
export const KUBELET_BACKOFF: BackoffPolicy = { initialMs: 10_000, maxMs: 300_000 };

/** `policy` with both bounds multiplied by `factor` (tests run with a fraction of the real one). */
export function scaleBackoff(policy: BackoffPolicy, factor: number): BackoffPolicy {
  return { initialMs: policy.initialMs * factor, maxMs: policy.maxMs * factor };
}

export interface BackoffEntry {
  readonly delayMs: number;
  readonly lastUpdateMs: number;
}

const expired = (entry: BackoffEntry, eventMs: number, policy: BackoffPolicy) =>
  eventMs - entry.lastUpdateMs > policy.maxMs * 2;

/** `Backoff.Next(id, eventTime)` at `nowMs`: the first delay, or the previous one doubled. */
export function nextBackoff(
  entry: BackoffEntry | undefined,
  eventMs: number,
  nowMs: number,
  policy: BackoffPolicy,
): BackoffEntry {
  const delayMs =
    entry === undefined || expired(entry, eventMs, policy)
      ? policy.initialMs
      : Math.min(entry.delayMs * 2, policy.maxMs);
  return { delayMs, lastUpdateMs: nowMs };
}

/**
 * When a container that finished at `finishedMs` may start again (`Backoff.IsInBackOffSince`):
 * at once (`undefined`: then record `nextBackoff`) or at the returned time, in CrashLoopBackOff
 * until then.
 */
export function restartAt(
  entry: BackoffEntry | undefined,
  finishedMs: number,
  policy: BackoffPolicy,
): number | undefined {
  if (entry === undefined || expired(entry, finishedMs, policy)) return undefined;
  return finishedMs + entry.delayMs;
}

/** When an image pull that failed may be tried again (`Backoff.IsInBackOffSinceUpdate`). */
export function retryPullAt(entry: BackoffEntry | undefined): number | undefined {
  return entry === undefined ? undefined : entry.lastUpdateMs + entry.delayMs;
}

/** A delay as Go's `time.Duration` prints it (`10s`, `2m40s`, `5m0s`, `500ms`), for messages. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toFixed(3))}s`;
  const minutes = Math.floor(s / 60);
  return `${minutes}m${Number((s - minutes * 60).toFixed(3))}s`;
}
