/**
 * Writes a pod's status when what the agent knows of it changed: a JSON merge patch of the
 * status subresource, at most one in flight and one per STATUS_INTERVAL_MS, always the latest.
 */
import { STATUS_INTERVAL_MS, type AgentContext } from './context.js';
import { describeError, statusOf } from './kube.js';
import type { PodStatusPatch } from './status.js';

export interface StatusSnapshot {
  /** What the status is computed from; an unchanged key is not written again. */
  readonly key: string;
  readonly status: PodStatusPatch;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class StatusWriter {
  private sentKey = '';
  private busy = false;
  private dirty = false;
  private stopped = false;
  private lastMs = 0;

  constructor(
    private readonly ctx: AgentContext,
    private readonly where: { readonly pod: string },
    private readonly snapshot: () => StatusSnapshot,
  ) {}

  changed(): void {
    if (this.stopped) return;
    this.dirty = true;
    void this.flush();
  }

  stop(): void {
    this.stopped = true;
  }

  private async flush(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.dirty && !this.stopped) {
        this.dirty = false;
        const wait = this.lastMs + STATUS_INTERVAL_MS - Date.now();
        if (wait > 0) await sleep(wait);
        const { key, status } = this.snapshot();
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may run during the sleep
        if (key === this.sentKey || this.stopped) continue;
        const [namespace = '', name = ''] = this.where.pod.split('/');
        try {
          await this.ctx.kube.patchPodStatus(namespace, name, status);
          this.sentKey = key;
          this.ctx.log('pod.status', {
            pod: this.where.pod,
            phase: status.phase,
            ...summary(status),
          });
        } catch (err) {
          if (statusOf(err) === 404) return;
          this.ctx.log('pod.status-failed', { pod: this.where.pod, error: describeError(err) });
          this.dirty = true;
          await sleep(this.ctx.retryMs);
        } finally {
          this.lastMs = Date.now();
        }
      }
    } finally {
      this.busy = false;
    }
  }
}

/** Each container's state in a word (its reason, or running/ready), for the log. */
function summary(status: PodStatusPatch): Record<string, string> {
  const word = (c: PodStatusPatch['containerStatuses'][number]) => {
    const s = c.state;
    if ('running' in s) return c.ready ? 'ready' : 'running';
    if ('waiting' in s) return s.waiting.reason;
    return `${s.terminated.reason}(${s.terminated.exitCode})`;
  };
  return Object.fromEntries(
    [...(status.initContainerStatuses ?? []), ...status.containerStatuses].map((c) => [
      c.name,
      word(c),
    ]),
  );
}
