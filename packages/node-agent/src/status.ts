/**
 * The pod status the agent reports, from what it knows of the containers, in the shape and
 * with the reasons the kubelet uses (pkg/kubelet/status/generate.go, kubelet_pods.go
 * `generateAPIPodStatus`). Pure: the caller passes the pod, its record and the time.
 */
import type { Pod, PodCondition } from './kube-types.js';
import { podPhase, type Phase, type RestartPolicy } from './phase.js';
import type { ContainerRecord, PodRecord, Terminated } from './state.js';

/** Kubernetes timestamps: RFC 3339 in seconds. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function terminated(t: Terminated) {
  return {
    exitCode: t.exitCode,
    ...(t.signal === undefined ? {} : { signal: t.signal }),
    reason: t.reason,
    ...(t.message === undefined ? {} : { message: t.message }),
    startedAt: timestamp(t.startedAt),
    finishedAt: timestamp(t.finishedAt),
    containerID: t.containerID,
  };
}

function containerStatus(c: ContainerRecord) {
  const s = c.state;
  const state =
    s.kind === 'waiting'
      ? {
          waiting: { reason: s.reason, ...(s.message === undefined ? {} : { message: s.message }) },
        }
      : s.kind === 'running'
        ? { running: { startedAt: timestamp(s.startedAt) } }
        : { terminated: terminated(s) };
  const containerID = s.kind === 'waiting' ? c.lastTerminated?.containerID : s.containerID;
  return {
    name: c.name,
    image: c.image,
    imageID: `local://${c.image}`,
    ...(containerID === undefined ? {} : { containerID }),
    state,
    lastState: c.lastTerminated === undefined ? {} : { terminated: terminated(c.lastTerminated) },
    ready: c.ready,
    started: c.started,
    restartCount: c.restartCount,
  };
}

export type ConditionType =
  'PodReadyToStartContainers' | 'Initialized' | 'ContainersReady' | 'Ready';

export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False';
  readonly reason?: string;
  readonly message?: string;
}

const list = (names: readonly string[]) => `[${names.join(' ')}]`;

/** The four conditions the kubelet owns, for `phase`. */
export function podConditions(pod: Pod, record: PodRecord, phase: Phase): Condition[] {
  const completed = phase === 'Succeeded';
  const incomplete = record.init
    .filter((c) => !(c.state.kind === 'terminated' && c.state.exitCode === 0))
    .map((c) => c.name);
  const initialized: Condition =
    incomplete.length === 0 || record.init.length === 0
      ? { type: 'Initialized', status: 'True', ...(completed ? { reason: 'PodCompleted' } : {}) }
      : {
          type: 'Initialized',
          status: 'False',
          reason: 'ContainersNotInitialized',
          message: `containers with incomplete status: ${list(incomplete)}`,
        };
  const unready = record.app.filter((c) => !c.ready).map((c) => c.name);
  const notReady = (type: string): Condition =>
    completed
      ? { type, status: 'False', reason: 'PodCompleted' }
      : {
          type,
          status: 'False',
          reason: 'ContainersNotReady',
          message: `containers with unready status: ${list(unready)}`,
        };
  const containersReady: Condition =
    unready.length === 0 && !completed
      ? { type: 'ContainersReady', status: 'True' }
      : notReady('ContainersReady');
  let ready: Condition =
    containersReady.status === 'True' ? { type: 'Ready', status: 'True' } : notReady('Ready');
  if (ready.status === 'True') {
    const existing = pod.status?.conditions ?? [];
    for (const gate of pod.spec?.readinessGates ?? []) {
      const c = existing.find((x) => x.type === gate.conditionType);
      if (c?.status !== 'True') {
        const message =
          c === undefined
            ? `corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`
            : `the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`;
        ready = { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message };
        break;
      }
    }
  }
  return [
    { type: 'PodReadyToStartContainers', status: record.readyToStart ? 'True' : 'False' },
    initialized,
    containersReady,
    ready,
  ];
}

const OWN = new Set<string>([
  'PodReadyToStartContainers',
  'Initialized',
  'ContainersReady',
  'Ready',
]);

/**
 * The pod's conditions after this update: the ones the agent owns recomputed, keeping each
 * one's lastTransitionTime while its status stays; the others (PodScheduled, readiness gates)
 * as they are.
 */
export function mergeConditions(
  previous: readonly PodCondition[],
  own: readonly Condition[],
  now: Date,
) {
  const before = new Map(previous.map((c) => [c.type, c]));
  const others = previous
    .filter((c) => !OWN.has(c.type))
    .map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason === undefined ? {} : { reason: c.reason }),
      ...(c.message === undefined ? {} : { message: c.message }),
      ...(c.lastTransitionTime === undefined
        ? {}
        : { lastTransitionTime: timestamp(new Date(c.lastTransitionTime)) }),
    }));
  const mine = own.map((c) => {
    const old = before.get(c.type);
    const since =
      old?.status === c.status && old.lastTransitionTime !== undefined
        ? new Date(old.lastTransitionTime)
        : now;
    return { ...c, lastProbeTime: null, lastTransitionTime: timestamp(since) };
  });
  return [...others, ...mine];
}

/** The whole status the agent writes (a JSON merge patch of the status subresource). */
export function podStatus(pod: Pod, record: PodRecord, ip: string, now: Date) {
  const restartPolicy = (pod.spec?.restartPolicy ?? 'Always') as RestartPolicy;
  const phase = podPhase(restartPolicy, record.init, record.app);
  const conditions = mergeConditions(
    pod.status?.conditions ?? [],
    podConditions(pod, record, phase),
    now,
  );
  return {
    phase,
    conditions,
    hostIP: ip,
    hostIPs: [{ ip }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: timestamp(record.startTime),
    ...(record.init.length > 0 ? { initContainerStatuses: record.init.map(containerStatus) } : {}),
    containerStatuses: record.app.map(containerStatus),
  };
}

export type PodStatusPatch = ReturnType<typeof podStatus>;
