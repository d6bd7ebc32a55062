/**
 * A container slot's starting point from the pod's status, for a pod this agent (or an earlier
 * run of it) already reported: restart counts carry on, a container that ran before counts a
 * restart when it starts again, and an init container that completed is not run again.
 */
import type { Container, Pod } from './kube-types.js';
import type { ContainerState } from './state.js';

export function seedSlot<T>(
  container: Container,
  isInit: boolean,
  pod: Pod,
  fresh: ContainerState,
  make: (state: ContainerState, restartCount: number, ranBefore: boolean) => T,
): T {
  const statuses =
    (isInit ? pod.status?.initContainerStatuses : pod.status?.containerStatuses) ?? [];
  const s = statuses.find((x) => x.name === container.name);
  if (s === undefined) return make(fresh, 0, false);
  const ran =
    s.state?.running !== undefined ||
    s.state?.terminated !== undefined ||
    s.lastState?.terminated !== undefined;
  const t = s.state?.terminated;
  if (isInit && t?.exitCode === 0) {
    const completed: ContainerState = {
      kind: 'terminated',
      exitCode: 0,
      reason: t.reason ?? 'Completed',
      startedAt: new Date(t.startedAt ?? 0),
      finishedAt: new Date(t.finishedAt ?? 0),
      containerID: t.containerID ?? '',
    };
    return make(completed, s.restartCount, true);
  }
  return make(fresh, s.restartCount, ran);
}
