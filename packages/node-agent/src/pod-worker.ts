/**
 * One pod on this node, from first sight to deletion: volumes, then init containers one after
 * another, then the app containers; restarts with back-off per restartPolicy; status written
 * as it changes; on deletion preStop hooks, SIGTERM, SIGKILL after the grace period, and the
 * pod deleted with grace 0, as the kubelet does. Each step is `step()`, run again on every
 * event (pod update, process exit, probe change, timer): it looks at the state and does the
 * next thing, so no event can be missed or done twice.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goDuration, nextBackoff, restartAt, retryPullAt } from '@eds/core';
import { ContainerSlot } from './container-slot.js';
import {
  DEFAULT_GRACE_SECONDS,
  MIN_GRACE_MS,
  PORTS_ANNOTATION,
  type AgentContext,
} from './context.js';
import { resolveEnv } from './env.js';
import { lookupImage } from './image-map.js';
import { describeError } from './kube.js';
import type { Container, Pod } from './kube-types.js';
import { launchSpec } from './launch.js';
import { materialize, volumeDir } from './materialize.js';
import { containerMounts } from './mounts.js';
import { referencedObjects, type ObjectData, type Objects } from './objects.js';
import type { RestartPolicy } from './phase.js';
import { runHandler } from './probe-run.js';
import { assignPorts, resolvePort } from './ports.js';
import { podStatus } from './status.js';
import { StatusWriter } from './status-writer.js';
import { notCreated } from './state.js';
import { planVolumes } from './volumes.js';
import {
  tokenKubeconfig,
  tokenMount,
  tokenSources,
  type TokenResult,
  type Tokens,
} from './service-account.js';
import { seedSlot } from './seed.js';

export class PodWorker {
  readonly uid: string;
  readonly dir: string;
  readonly where: { readonly pod: string; readonly uid: string };
  private readonly init: ContainerSlot[];
  private readonly app: ContainerSlot[];
  private volumes: Map<string, string> | undefined;
  private mountError = '';
  private readonly startTime: Date;
  private readonly finishedAtStart: boolean;
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;
  private readonly retryAt = new Map<ContainerSlot, number>();
  private syncing = false;
  private again = false;
  private stopping = false;
  private terminated: Promise<void> | undefined;
  private readonly status: StatusWriter;

  constructor(
    public pod: Pod,
    private readonly ctx: AgentContext,
    private readonly onGone: (uid: string) => void,
  ) {
    const m = pod.metadata ?? {};
    this.uid = m.uid ?? '';
    this.dir = join(ctx.podsDir, `${m.namespace ?? ''}_${m.name ?? ''}_${this.uid}`);
    this.where = { pod: `${m.namespace ?? ''}/${m.name ?? ''}`, uid: this.uid };
    const spec = pod.spec ?? { containers: [] };
    const hasInit = (spec.initContainers ?? []).length > 0;
    const slot = (c: (typeof spec.containers)[number], isInit: boolean) =>
      seedSlot(
        c,
        isInit,
        pod,
        notCreated(hasInit),
        (state, count, ran) => new ContainerSlot(c, isInit, state, count, ran, ctx.log, this.where),
      );
    this.init = (spec.initContainers ?? []).map((c) => slot(c, true));
    this.app = spec.containers.map((c) => slot(c, false));
    this.startTime =
      pod.status?.startTime === undefined ? new Date() : new Date(pod.status.startTime);
    // A pod that finished before the agent started stays as it is (its status says how it ended).
    this.finishedAtStart = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    this.status = new StatusWriter(ctx, this.where, () => this.currentStatus());
    ctx.log('pod.added', { ...this.where });
  }

  private get policy(): RestartPolicy {
    return (this.pod.spec?.restartPolicy ?? 'Always') as RestartPolicy;
  }

  update(pod: Pod): void {
    this.pod = pod;
    this.kick();
  }

  kick(): void {
    void this.sync();
  }

  private async sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.again = false;
        await this.step();
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by kick() during the await
      } while (this.again);
    } catch (err) {
      this.ctx.log('pod.sync-failed', { ...this.where, error: describeError(err) });
      this.wake(Date.now() + this.ctx.retryMs);
    } finally {
      this.syncing = false;
    }
  }

  /** Runs `step` again at `at` (the earliest of the times asked for). */
  private wake(at: number): void {
    if (at >= this.wakeAt) return;
    clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeAt = Infinity;
        this.kick();
      },
      Math.max(0, at - Date.now()),
    );
  }

  private async step(): Promise<void> {
    if (this.stopping) return;
    if (this.pod.metadata?.deletionTimestamp !== undefined) {
      void this.terminate(true);
      return;
    }
    if (this.finishedAtStart) return;
    if (this.volumes === undefined && !(await this.prepare())) {
      this.status.changed();
      return;
    }
    let initialized = true;
    for (const slot of this.init) {
      const s = slot.state;
      if (s.kind === 'terminated' && s.exitCode === 0) continue;
      initialized = false;
      if (slot.running === undefined && !(s.kind === 'terminated' && this.policy === 'Never'))
        await this.tryStart(slot);
      break;
    }
    if (initialized) {
      for (const slot of this.app) {
        if (slot.running !== undefined) continue;
        const exit = slot.lastExit();
        if (
          exit !== undefined &&
          (this.policy === 'Never' || (this.policy === 'OnFailure' && exit.exitCode === 0))
        )
          continue;
        await this.tryStart(slot);
      }
    }
    this.status.changed();
  }

  private async objects(): Promise<Objects> {
    const namespace = this.pod.metadata?.namespace ?? '';
    const found = new Map<string, ObjectData | undefined>();
    for (const ref of referencedObjects(this.pod)) {
      found.set(
        `${ref.kind}/${ref.name}`,
        await this.ctx.kube.objectData(ref.kind, namespace, ref.name),
      );
    }
    return (kind, name) => found.get(`${kind}/${name}`);
  }

  /** A token for each serviceAccountToken projection, requested as the kubelet does. */
  private async tokens(): Promise<Tokens> {
    const m = this.pod.metadata;
    const pod = { namespace: m?.namespace ?? '', name: m?.name ?? '', uid: this.uid };
    const account = this.pod.spec?.serviceAccountName ?? 'default';
    const found = new Map<string, TokenResult>();
    for (const source of tokenSources(this.pod)) {
      let result: TokenResult;
      try {
        result = { token: await this.ctx.kube.serviceAccountToken(pod, account, source) };
      } catch (err) {
        result = { error: describeError(err) };
      }
      found.set(`${source.volume}/${source.path}`, result);
    }
    return (volume, path) => found.get(`${volume}/${path}`);
  }

  private async prepare(): Promise<boolean> {
    const plan = planVolumes(
      this.pod,
      await this.objects(),
      this.ctx.placement,
      await this.tokens(),
    );
    if (!plan.ok) {
      if (plan.message !== this.mountError)
        this.ctx.log('pod.mount-failed', { ...this.where, message: plan.message });
      this.mountError = plan.message;
      this.wake(Date.now() + this.ctx.retryMs);
      return false;
    }
    mkdirSync(join(this.dir, 'logs'), { recursive: true, mode: 0o700 });
    this.volumes = materialize(this.dir, plan.volumes);
    this.writeKubeconfigs();
    return true;
  }

  /** Next to each volume that holds a token, a kubeconfig that uses it (`service-account.ts`). */
  private writeKubeconfigs(): void {
    const server = this.ctx.kube.server();
    for (const source of tokenSources(this.pod)) {
      const dir = this.volumes?.get(source.volume) ?? volumeDir(this.dir, source.volume);
      const ca = join(dir, 'ca.crt');
      writeFileSync(
        `${dir}.kubeconfig`,
        tokenKubeconfig({
          server: server.url,
          ...(existsSync(ca)
            ? { caFile: ca }
            : server.caData === undefined
              ? {}
              : { caData: server.caData }),
          tokenFile: join(dir, source.path),
          namespace: this.pod.metadata?.namespace ?? '',
        }),
        { mode: 0o600 },
      );
    }
  }

  /** KUBECONFIG for a container that mounts a token, unless its own env names one. */
  private kubeconfigEnv(
    container: Container,
    env: Readonly<Record<string, string>>,
  ): Readonly<Record<string, string>> {
    const mount = tokenMount(container, tokenSources(this.pod));
    if (mount === undefined || 'KUBECONFIG' in env) return env;
    const dir = this.volumes?.get(mount.volume) ?? volumeDir(this.dir, mount.volume);
    return { ...env, KUBECONFIG: `${dir}.kubeconfig` };
  }

  private async tryStart(slot: ContainerSlot): Promise<void> {
    const now = Date.now();
    const { backoff } = this.ctx;
    const exit = slot.lastExit();
    if (exit !== undefined) {
      const at = restartAt(slot.backoff, exit.finishedAt.getTime(), backoff);
      if (at !== undefined && now < at) {
        const m = this.pod.metadata;
        const delay = goDuration(slot.backoff?.delayMs ?? 0);
        slot.wait(
          'CrashLoopBackOff',
          `back-off ${delay} restarting failed container=${slot.name} pod=${m?.name ?? ''}_${m?.namespace ?? ''}(${this.uid})`,
        );
        this.wake(at);
        return;
      }
    }
    const retry = this.retryAt.get(slot);
    if (retry !== undefined && now < retry) {
      this.wake(retry);
      return;
    }
    const image = slot.spec.image ?? '';
    const entry = lookupImage(this.ctx.images.current(), image);
    if (entry === undefined) {
      const message = `image ${JSON.stringify(image)} is not in the node agent's image map (${this.ctx.images.path})`;
      if (slot.spec.imagePullPolicy === 'Never') {
        slot.wait(
          'ErrImageNeverPull',
          `Container image "${image}" is not present with pull policy of Never`,
        );
        this.retryAt.set(slot, now + this.ctx.retryMs);
        this.wake(now + this.ctx.retryMs);
        return;
      }
      const pullAt = retryPullAt(slot.pullBackoff);
      if (pullAt !== undefined && now < pullAt) {
        slot.wait(
          'ImagePullBackOff',
          `Back-off pulling image "${image}": ErrImagePull: ${message}`,
        );
        this.wake(pullAt);
        return;
      }
      slot.pullBackoff = nextBackoff(slot.pullBackoff, now, now, backoff);
      slot.wait('ErrImagePull', message);
      this.ctx.log('container.image-missing', { ...this.where, container: slot.name, image });
      this.wake(retryPullAt(slot.pullBackoff) ?? now);
      return;
    }
    slot.pullBackoff = undefined;
    const env = resolveEnv(this.pod, slot.spec, await this.objects(), this.ctx.placement);
    if (!env.ok) {
      slot.wait('CreateContainerConfigError', env.message);
      this.ctx.log('container.config-error', {
        ...this.where,
        container: slot.name,
        message: env.message,
      });
      this.retryAt.set(slot, now + this.ctx.retryMs);
      this.wake(now + this.ctx.retryMs);
      return;
    }
    this.retryAt.delete(slot);
    if (slot.ports.length === 0 && Object.keys(entry.portEnv).length > 0) {
      slot.ports = await assignPorts(slot.spec, entry);
      await this.annotatePorts();
    }
    const mounts = containerMounts(
      slot.spec,
      (v) => this.volumes?.get(v) ?? volumeDir(this.dir, v),
    );
    const launch = launchSpec({
      entry,
      container: slot.spec,
      env: this.kubeconfigEnv(slot.spec, env.env),
      mounts,
      ports: slot.ports,
      podName: this.pod.metadata?.name ?? '',
      path: this.ctx.path,
      defaultCwd: this.dir,
    });
    if (exit !== undefined)
      slot.backoff = nextBackoff(slot.backoff, exit.finishedAt.getTime(), Date.now(), backoff);
    slot.launch(
      { ...launch, logFile: join(this.dir, 'logs', `${slot.name}.log`) },
      this.dir,
      () => {
        this.kick();
      },
    );
    if (slot.isInit) return;
    const probeCtx = {
      host: this.ctx.placement.ip,
      port: (p: number | string) => resolvePort(slot.spec, slot.ports, p),
      env: launch.env,
      cwd: launch.cwd,
    };
    slot.startProbes(
      probeCtx,
      () => {
        this.status.changed();
      },
      (kind) => {
        const grace = this.pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
        void slot.stop(grace * 1000, `${kind} probe failed`);
      },
    );
    const postStart = slot.spec.lifecycle?.postStart;
    if (postStart !== undefined) {
      void runHandler(postStart, { ...probeCtx, timeoutMs: DEFAULT_GRACE_SECONDS * 1000 }).then(
        (r) => {
          if (r.ok) return;
          this.ctx.log('container.poststart-failed', {
            ...this.where,
            container: slot.name,
            message: r.message,
          });
          void slot.stop(MIN_GRACE_MS, 'postStart hook failed');
        },
      );
    }
  }

  private async annotatePorts(): Promise<void> {
    const ports = Object.fromEntries(
      [...this.init, ...this.app].flatMap((s) => s.ports.map((p) => [p.key, p.port])),
    );
    const m = this.pod.metadata;
    await this.ctx.kube.patchPodAnnotations(m?.namespace ?? '', m?.name ?? '', {
      [PORTS_ANNOTATION]: JSON.stringify(ports),
    });
    this.ctx.log('pod.ports', { ...this.where, ports });
  }

  private currentStatus() {
    const record = {
      readyToStart: this.volumes !== undefined,
      startTime: this.startTime,
      init: this.init.map((s) => s.record()),
      app: this.app.map((s) => s.record()),
    };
    return {
      key: JSON.stringify(record),
      status: podStatus(this.pod, record, this.ctx.placement.ip, new Date()),
    };
  }

  /** Stops every process: preStop hooks, SIGTERM, SIGKILL after `graceMs` (at least MIN_GRACE_MS after the hooks). */
  private async stopAll(graceMs: number, why: string): Promise<void> {
    this.stopping = true;
    clearTimeout(this.wakeTimer);
    const deadline = Date.now() + graceMs;
    await Promise.all(
      [...this.init, ...this.app].map(async (slot) => {
        if (slot.running === undefined) return;
        const preStop = slot.spec.lifecycle?.preStop;
        if (preStop !== undefined && !slot.isInit) {
          const ctx = {
            host: this.ctx.placement.ip,
            port: (p: number | string) => resolvePort(slot.spec, slot.ports, p),
            env: {},
            cwd: this.dir,
          };
          const r = await runHandler(preStop, {
            ...ctx,
            timeoutMs: Math.max(0, deadline - Date.now()),
          });
          this.ctx.log('container.prestop', {
            ...this.where,
            container: slot.name,
            ok: r.ok,
            message: r.message,
          });
        }
        await slot.stop(Math.max(MIN_GRACE_MS, deadline - Date.now()), why);
      }),
    );
  }

  /** The pod was deleted (`fromApi`: it has a deletionTimestamp; else it is gone already). */
  terminate(fromApi: boolean): Promise<void> {
    this.terminated ??= (async () => {
      const m = this.pod.metadata;
      const grace =
        m?.deletionGracePeriodSeconds ??
        this.pod.spec?.terminationGracePeriodSeconds ??
        DEFAULT_GRACE_SECONDS;
      this.ctx.log('pod.terminating', { ...this.where, graceSeconds: grace });
      await this.stopAll(grace * 1000, 'pod deleted');
      this.status.stop();
      for (;;) {
        try {
          if (fromApi) await this.ctx.kube.deletePod(m?.namespace ?? '', m?.name ?? '', this.uid);
          break;
        } catch (err) {
          this.ctx.log('pod.delete-failed', { ...this.where, error: describeError(err) });
          await new Promise((resolve) => setTimeout(resolve, this.ctx.retryMs));
        }
      }
      rmSync(this.dir, { recursive: true, force: true });
      this.ctx.log('pod.deleted', { ...this.where });
      this.onGone(this.uid);
    })();
    return this.terminated;
  }

  /** The agent is stopping: end the processes, leave the pod (and its directory) as it is. */
  async shutdown(): Promise<void> {
    if (this.terminated !== undefined) return this.terminated;
    const grace = this.pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
    await this.stopAll(Math.min(grace * 1000, this.ctx.shutdownGraceMs), 'node agent stopping');
    this.status.stop();
  }

  /** Running containers' log files, for the size cap. */
  logFiles(): string[] {
    return [...this.init, ...this.app]
      .filter((s) => s.running !== undefined)
      .map((s) => join(this.dir, 'logs', `${s.name}.log`));
  }
}
