/**
 * What the agent knows of a pod's containers: the input of the pod status it reports.
 */
export interface Terminated {
  readonly exitCode: number;
  /** The signal that ended the process, when one did (exitCode is then 128 + it). */
  readonly signal?: number;
  /** `Completed` (exit 0) or `Error`, as the kubelet reports them. */
  readonly reason: string;
  readonly message?: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly containerID: string;
}

export type ContainerState =
  | { readonly kind: 'waiting'; readonly reason: string; readonly message?: string }
  | { readonly kind: 'running'; readonly startedAt: Date; readonly containerID: string }
  | ({ readonly kind: 'terminated' } & Terminated);

export interface ContainerRecord {
  readonly name: string;
  readonly image: string;
  readonly state: ContainerState;
  readonly lastTerminated?: Terminated;
  readonly restartCount: number;
  /** Readiness: the readiness probe passes, or the container runs and has none. */
  readonly ready: boolean;
  /** The startup probe passed, or the container runs and has none. */
  readonly started: boolean;
}

export interface PodRecord {
  /** The pod's volumes are in place: the kubelet's sandbox is ready. */
  readonly readyToStart: boolean;
  readonly startTime: Date;
  readonly init: readonly ContainerRecord[];
  readonly app: readonly ContainerRecord[];
}

/** The state of a container the agent has not created yet (pkg/kubelet `defaultWaitingState`). */
export function notCreated(hasInitContainers: boolean): ContainerState {
  return { kind: 'waiting', reason: hasInitContainers ? 'PodInitializing' : 'ContainerCreating' };
}

/** How a process that exited is reported: exit code (128 + signal when a signal ended it) and reason. */
export function exitStatus(
  code: number | null,
  signal: number | undefined,
): { exitCode: number; signal?: number; reason: string } {
  const exitCode = code ?? 128 + (signal ?? 0);
  return {
    exitCode,
    ...(code === null && signal !== undefined ? { signal } : {}),
    reason: exitCode === 0 ? 'Completed' : 'Error',
  };
}
