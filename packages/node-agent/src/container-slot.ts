/**
 * One container of a pod: its process, its state as the status reports it, its back-offs and
 * its probes. The pod worker decides when it starts; the slot runs it, watches it exit, runs
 * its probes and acts on their results (a failed liveness or startup probe restarts it).
 */
import type { BackoffEntry } from '@eds/core';
import type { Container, Probe } from './kube-types.js';
import type { Log } from './log.js';
import { forgetPid, recordPid } from './leftovers.js';
import {
  initialProbeState,
  nextProbeAt,
  probeTiming,
  recordProbe,
  type ProbeKind,
  type ProbeState,
} from '@eds/core';
import { runHandler, type ProbeContext } from './probe-run.js';
import { killGroup, spawnProcess, type Exit, type SpawnOptions } from './process.js';
import { exitStatus, type ContainerRecord, type ContainerState, type Terminated } from './state.js';
import type { PortAssignment } from './ports.js';

interface Running {
  readonly pid: number | undefined;
  readonly startedAt: Date;
  readonly exited: Promise<Exit>;
}

export class ContainerSlot {
  state: ContainerState;
  lastTerminated: Terminated | undefined;
  restartCount: number;
  ready = false;
  started = false;
  /** A container of this pod ran under this name before (here or, per the status, in an earlier run). */
  ranBefore: boolean;
  backoff: BackoffEntry | undefined;
  pullBackoff: BackoffEntry | undefined;
  ports: PortAssignment[] = [];
  running: Running | undefined;
  /** Bumped on each start: probe loops of an earlier process stop. */
  private generation = 0;
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly spec: Container,
    readonly isInit: boolean,
    initial: ContainerState,
    restartCount: number,
    ranBefore: boolean,
    private readonly log: Log,
    private readonly where: Readonly<Record<string, string>>,
  ) {
    this.state = initial;
    this.restartCount = restartCount;
    this.ranBefore = ranBefore;
  }

  get name(): string {
    return this.spec.name;
  }

  record(): ContainerRecord {
    return {
      name: this.spec.name,
      image: this.spec.image ?? '',
      state: this.state,
      ...(this.lastTerminated === undefined ? {} : { lastTerminated: this.lastTerminated }),
      restartCount: this.restartCount,
      ready: this.isInit
        ? this.state.kind === 'terminated' && this.state.exitCode === 0
        : this.ready,
      started: this.isInit ? this.state.kind === 'running' : this.started,
    };
  }

  /** The last exit, when the container is not running now and has run. */
  lastExit(): Terminated | undefined {
    return this.state.kind === 'terminated' ? this.state : this.lastTerminated;
  }

  /** Waiting with `reason`; an exit shown as the current state moves to lastState. */
  wait(reason: string, message?: string): void {
    if (this.state.kind === 'terminated') this.lastTerminated = this.state;
    this.state = { kind: 'waiting', reason, ...(message === undefined ? {} : { message }) };
  }

  /** Starts the process; `onExit` runs once it has exited and the state says so. */
  launch(options: SpawnOptions, podDir: string, onExit: () => void): void {
    if (this.state.kind === 'terminated') this.lastTerminated = this.state;
    if (this.ranBefore) this.restartCount++;
    this.ranBefore = true;
    this.generation++;
    const proc = spawnProcess(options);
    const containerID = `process://${proc.pid ?? 0}`;
    this.running = proc;
    this.state = { kind: 'running', startedAt: proc.startedAt, containerID };
    this.ready = false;
    this.started = false;
    if (proc.pid !== undefined) recordPid(podDir, this.name, proc.pid);
    this.log('container.started', {
      ...this.where,
      container: this.name,
      pid: proc.pid,
      argv0: options.argv[0],
    });
    void proc.exited.then((exit) => {
      this.stopProbes();
      this.running = undefined;
      forgetPid(podDir, this.name);
      const status =
        exit.startError === undefined
          ? exitStatus(exit.code, exit.signal)
          : { exitCode: 128, reason: 'StartError' };
      this.state = {
        kind: 'terminated',
        ...status,
        ...(exit.startError === undefined ? {} : { message: exit.startError }),
        startedAt: proc.startedAt,
        finishedAt: exit.finishedAt,
        containerID,
      };
      this.ready = false;
      this.started = false;
      this.log('container.exited', {
        ...this.where,
        container: this.name,
        pid: proc.pid,
        exitCode: status.exitCode,
        signal: exit.signal,
        error: exit.startError,
      });
      onExit();
    });
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs: number, why: string): Promise<void> {
    const proc = this.running;
    if (proc?.pid === undefined) return;
    this.stopProbes();
    this.log('container.stopping', {
      ...this.where,
      container: this.name,
      pid: proc.pid,
      reason: why,
      graceSeconds: graceMs / 1000,
    });
    killGroup(proc.pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, graceMs);
    });
    const result = await Promise.race([proc.exited, killed]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.log('container.killing', { ...this.where, container: this.name, pid: proc.pid });
      killGroup(proc.pid, 'SIGKILL');
      await proc.exited;
    }
  }

  /**
   * Runs the container's probes: the startup probe first, then liveness and readiness.
   * `onChange` runs when readiness or started changes; `onFailure` when liveness or startup
   * failed for good (the worker restarts the container).
   */
  startProbes(
    ctx: Omit<ProbeContext, 'timeoutMs'>,
    onChange: () => void,
    onFailure: (kind: ProbeKind) => void,
  ): void {
    const generation = this.generation;
    const startedMs = this.running?.startedAt.getTime() ?? Date.now();
    const { startupProbe, livenessProbe, readinessProbe } = this.spec;
    const afterStartup = () => {
      this.started = true;
      if (readinessProbe === undefined) this.ready = true;
      onChange();
      if (livenessProbe !== undefined)
        this.probe('liveness', livenessProbe, startedMs, ctx, generation, onChange, onFailure);
      if (readinessProbe !== undefined)
        this.probe('readiness', readinessProbe, startedMs, ctx, generation, onChange, onFailure);
    };
    if (startupProbe === undefined) afterStartup();
    else this.probe('startup', startupProbe, startedMs, ctx, generation, afterStartup, onFailure);
  }

  private probe(
    kind: ProbeKind,
    probe: Probe,
    startedMs: number,
    ctx: Omit<ProbeContext, 'timeoutMs'>,
    generation: number,
    onChange: () => void,
    onFailure: (kind: ProbeKind) => void,
  ): void {
    const timing = probeTiming(probe);
    let state: ProbeState = initialProbeState(kind);
    const schedule = (lastMs: number | undefined) => {
      const delay = Math.max(0, nextProbeAt(startedMs, lastMs, timing) - Date.now());
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (generation !== this.generation) return;
        const at = Date.now();
        void runHandler(probe, { ...ctx, timeoutMs: timing.timeoutMs }).then((outcome) => {
          if (generation !== this.generation || this.running === undefined) return;
          const before = state.passing;
          state = recordProbe(kind, state, outcome.ok, timing);
          if (state.passing !== before) {
            this.log('probe.changed', {
              ...this.where,
              container: this.name,
              probe: kind,
              passing: state.passing,
              message: outcome.message,
            });
          }
          if (state.onHold) {
            onFailure(kind);
            return;
          }
          if (kind === 'readiness' && this.ready !== state.passing) {
            this.ready = state.passing;
            onChange();
          }
          if (kind === 'startup' && state.passing) {
            onChange();
            return;
          }
          schedule(at);
        });
      }, delay);
      this.timers.add(timer);
    };
    schedule(undefined);
  }

  stopProbes(): void {
    this.generation++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
