/**
 * The pod phase from its containers' states, as the kubelet computes it
 * (pkg/kubelet/kubelet_pods.go `getPhase`, for a pod without sidecar init containers).
 */
import type { ContainerRecord } from './state.js';

export type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';
export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export function podPhase(
  restartPolicy: RestartPolicy,
  init: readonly ContainerRecord[],
  app: readonly ContainerRecord[],
): Phase {
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of init) {
    const s = c.state;
    if (s.kind === 'running') pendingInit++;
    else if (s.kind === 'terminated') failedInit += s.exitCode !== 0 ? 1 : 0;
    else if (c.lastTerminated !== undefined) failedInit += c.lastTerminated.exitCode !== 0 ? 1 : 0;
    else pendingInit++;
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of app) {
    const s = c.state;
    if (s.kind === 'running') running++;
    else if (s.kind === 'terminated') {
      stopped++;
      succeeded += s.exitCode === 0 ? 1 : 0;
    } else if (c.lastTerminated !== undefined) stopped++;
    else waiting++;
  }
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0 || waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
