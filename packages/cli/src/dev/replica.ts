/**
 * One replica of the service on this machine, as the kubelet would run its pod: the environment
 * resolved from the pod template (a missing Secret or key fails the start with the kubelet's
 * `CreateContainerConfigError` message), the init container first, then the main container on a
 * port of its own (`PORT`), probed with the template's paths and timings; restarted with the
 * kubelet's crash-loop back-off when it exits or fails its liveness probe; stopped with SIGTERM
 * and, after the grace period, SIGKILL. Each process runs in a process group of its own, so the
 * signals reach everything it started, as a container's would.
 */
import {
  KUBELET_BACKOFF,
  goDuration,
  initialProbeState,
  nextBackoff,
  probeTiming,
  recordProbe,
  restartAt,
  type BackoffEntry,
  type ProbeKind,
  type ProbeState,
} from '@eds/core';
import { resolveEnv, type Container, type Objects, type Pod } from '@eds/node-agent';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from './local-nats.js';

/** What one replica reports: a line for the run's log, and whether it is a restart. */
export interface ReplicaEvent {
  readonly replica: string;
  readonly kind:
    | 'config-error'
    | 'init-failed'
    | 'started'
    | 'ready'
    | 'unready'
    | 'restart'
    | 'stopped'
    | 'output';
  readonly message: string;
}

export interface ReplicaPlan {
  readonly pod: Pod;
  readonly init: readonly { readonly container: Container; readonly argv: readonly string[] }[];
  readonly main: Container;
  readonly argv: readonly string[];
  readonly graceMs: number;
  /** Variables set over the template's, e.g. NATS_URL pointed at the local server. */
  readonly overrides: Readonly<Record<string, string>>;
  readonly objects: Objects;
  readonly cwd: string;
  /** The environment of this program that processes see besides the template's (PATH, HOME). */
  readonly baseEnv: Readonly<Record<string, string>>;
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: string;
}

const PLACEMENT = {
  ip: '127.0.0.1',
  allocatable: { cpu: 2, memory: 8 * 1024 ** 3, 'ephemeral-storage': 64 * 1024 ** 3 },
};

/** Waits `ms`, or less if `signal` aborts first. */
const sleep = (ms: number, signal: AbortSignal) =>
  delay(ms, undefined, { signal }).catch(() => undefined);

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

const exitText = (e: Exit) =>
  e.error !== undefined
    ? `could not start: ${e.error}`
    : e.signal !== null
      ? `ended by ${e.signal}`
      : `exited with code ${e.code ?? '?'}`;

/** One GET of a probe's path: ok for a status from 200 to 399, as the kubelet's HTTP prober. */
async function httpGet(url: string, timeoutMs: number): Promise<{ ok: boolean; message: string }> {
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
      headers: { 'User-Agent': 'kube-probe/1.35' },
    });
    await res.body?.cancel();
    const ok = res.status >= 200 && res.status < 400;
    return { ok, message: ok ? '' : `HTTP probe failed with statuscode: ${res.status}` };
  } catch (e) {
    return {
      ok: false,
      message: e instanceof Error && e.name === 'TimeoutError' ? 'timeout' : 'connection refused',
    };
  }
}

export class Replica {
  readonly name: string;
  readonly createdAt = Date.now();
  /** When the replica last became ready; undefined while it is not. */
  readyAt: number | undefined;
  restarts = 0;
  port = 0;
  /** Set once the replica could not start as the platform would start it: the first reason. */
  failure: string | undefined;
  private readonly stop$ = new AbortController();
  private child: ChildProcess | undefined;
  private backoff: BackoffEntry | undefined;
  private done: Promise<void> | undefined;

  constructor(
    private readonly plan: ReplicaPlan,
    private readonly report: (e: ReplicaEvent) => void,
  ) {
    this.name = plan.pod.metadata?.name ?? 'replica';
  }

  get ready(): boolean {
    return this.readyAt !== undefined;
  }

  start(): void {
    this.done ??= this.run();
  }

  private emit(kind: ReplicaEvent['kind'], message: string): void {
    if (kind === 'config-error' || kind === 'init-failed') this.failure ??= message;
    this.report({ replica: this.name, kind, message });
  }

  private env(container: Container, extra: Readonly<Record<string, string>>) {
    const r = resolveEnv(this.plan.pod, container, this.plan.objects, PLACEMENT);
    if (!r.ok) return r;
    return {
      ok: true as const,
      env: { ...this.plan.baseEnv, ...r.env, ...this.plan.overrides, ...extra },
    };
  }

  private spawn(
    argv: readonly string[],
    env: Record<string, string>,
    label: string,
  ): Promise<Exit> {
    const [file = '', ...args] = argv;
    const child = spawn(file, args, {
      cwd: this.plan.cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.emit('output', `${label}${line}`);
      });
    }
    return new Promise<Exit>((resolve) => {
      child.once('error', (err) => {
        if (child.pid === undefined) resolve({ code: null, signal: null, error: err.message });
      });
      child.once('exit', (code, signal) => {
        killGroup(child, 'SIGKILL');
        this.child = undefined;
        resolve({ code, signal });
      });
    });
  }

  /** Waits out the crash-loop back-off before the next start; false when stopped meanwhile. */
  private async backOff(): Promise<boolean> {
    const now = Date.now();
    const at = restartAt(this.backoff, now, KUBELET_BACKOFF);
    this.backoff = nextBackoff(this.backoff, now, now, KUBELET_BACKOFF);
    const wait = at === undefined ? 0 : at - now;
    if (wait > 0) await sleep(wait, this.stop$.signal);
    return !this.stop$.signal.aborted;
  }

  private async run(): Promise<void> {
    const stopped = () => this.stop$.signal.aborted;
    let lastConfigError = '';
    let initDone = this.plan.init.length === 0;
    while (!stopped()) {
      if (!initDone) {
        let failed = false;
        for (const init of this.plan.init) {
          const env = this.env(init.container, {});
          if (!env.ok) {
            failed = true;
            if (env.message !== lastConfigError)
              this.emit(
                'config-error',
                `init container ${init.container.name}: CreateContainerConfigError: ${env.message}`,
              );
            lastConfigError = env.message;
            break;
          }
          const exit = await this.spawn(init.argv, env.env, `${init.container.name}: `);
          if (stopped()) return;
          if (exit.code !== 0) {
            failed = true;
            this.restarts += 1;
            this.emit(
              'init-failed',
              `init container ${init.container.name} ${exitText(exit)} (Init:Error); the worker does not start until it succeeds`,
            );
            break;
          }
        }
        if (failed) {
          if (!(await this.backOff())) return;
          continue;
        }
        initDone = true;
      }
      const main = this.plan.main;
      this.port = await freePort();
      const env = this.env(main, { PORT: `${this.port}` });
      if (!env.ok) {
        if (env.message !== lastConfigError)
          this.emit(
            'config-error',
            `container ${main.name}: CreateContainerConfigError: ${env.message}`,
          );
        lastConfigError = env.message;
        if (!(await this.backOff())) return;
        continue;
      }
      lastConfigError = '';
      const exited = this.spawn(this.plan.argv, env.env, '');
      this.emit('started', `started on port ${this.port}`);
      const probes = new AbortController();
      const liveness = this.probe(probes.signal);
      const outcome = await Promise.race([
        exited.then((e) => ({ exit: e })),
        liveness.then((failure) => ({ failure })),
      ]);
      probes.abort();
      if (this.readyAt !== undefined) {
        this.readyAt = undefined;
        if (!stopped()) this.emit('unready', 'not ready');
      }
      if (stopped()) {
        await exited;
        return;
      }
      if ('failure' in outcome) {
        this.restarts += 1;
        this.emit(
          'restart',
          `liveness probe failed: ${outcome.failure}; restarting (restart ${this.restarts})`,
        );
        await this.terminate(exited);
      } else {
        this.restarts += 1;
        const exit = outcome.exit;
        this.emit('restart', `${exitText(exit)}; restarting (restart ${this.restarts})`);
      }
      if (!(await this.backOff())) return;
    }
  }

  /**
   * The startup, liveness and readiness probes of the running main container until `signal`:
   * readiness sets `readyAt`; resolves with the last message when liveness (or startup) fails.
   */
  private probe(signal: AbortSignal): Promise<string | undefined> {
    const main = this.plan.main;
    const started = Date.now();
    const probes: [ProbeKind, NonNullable<Container['livenessProbe']> | undefined][] = [
      ['startup', main.startupProbe],
      ['liveness', main.livenessProbe],
      ['readiness', main.readinessProbe],
    ];
    let startupPassed = main.startupProbe === undefined;
    // A function, so that the check after an await is not narrowed away.
    const aborted = () => signal.aborted;
    return new Promise((resolve) => {
      signal.addEventListener('abort', () => {
        resolve(undefined);
      });
      if (main.readinessProbe === undefined) this.readyAt = Date.now();
      for (const [kind, probe] of probes) {
        if (probe === undefined) continue;
        const timing = probeTiming(probe);
        let state: ProbeState = initialProbeState(kind);
        const path = probe.httpGet?.path ?? '/';
        const once = async () => {
          if (signal.aborted) return;
          if (kind !== 'startup' && !startupPassed) {
            setTimeout(() => void once(), timing.periodMs);
            return;
          }
          const r =
            probe.httpGet !== undefined
              ? await httpGet(`http://127.0.0.1:${this.port}${path}`, timing.timeoutMs)
              : { ok: false, message: 'only httpGet probes run locally' };
          if (aborted()) return;
          state = recordProbe(kind, state, r.ok, timing);
          if (kind === 'readiness') {
            if (state.passing && this.readyAt === undefined) {
              this.readyAt = Date.now();
              this.emit(
                'ready',
                `ready (${path} answered after ${goDuration(this.readyAt - started)})`,
              );
            } else if (!state.passing && this.readyAt !== undefined) {
              this.readyAt = undefined;
              this.emit('unready', `not ready: readiness probe failed: ${r.message}`);
            }
          } else if (state.onHold) {
            resolve(`${kind} ${path}: ${r.message}`);
            return;
          } else if (kind === 'startup' && state.passing) {
            startupPassed = true;
            return;
          }
          setTimeout(() => void once(), timing.periodMs);
        };
        setTimeout(() => void once(), timing.initialDelayMs);
      }
    });
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves when the process has gone. */
  private async terminate(exited: Promise<Exit>): Promise<Exit> {
    const child = this.child;
    if (child === undefined) return exited;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
    }, this.plan.graceMs);
    const exit = await exited;
    clearTimeout(timer);
    return exit;
  }

  /** Scale-in or the end of the run: SIGTERM, SIGKILL after the grace period; resolves when gone. */
  async stop(): Promise<void> {
    if (this.stop$.signal.aborted) return this.done;
    const began = Date.now();
    this.stop$.abort();
    this.readyAt = undefined;
    const child = this.child;
    if (child !== undefined) {
      const exited = new Promise<Exit>((resolve) =>
        child.once('exit', (code, signal) => {
          resolve({ code, signal });
        }),
      );
      const exit = await this.terminate(exited);
      const took = goDuration(Date.now() - began);
      this.emit(
        'stopped',
        exit.signal === 'SIGKILL'
          ? `killed with SIGKILL: still running ${goDuration(this.plan.graceMs)} after SIGTERM (terminationGracePeriodSeconds)`
          : `stopped ${took} after SIGTERM (${exitText(exit)})`,
      );
    }
    await this.done;
  }
}
