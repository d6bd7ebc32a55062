/**
 * The agent: cleans up after an earlier run, registers the Node, then lists and watches the
 * pods bound to it (a relist after every watch ends, so nothing is missed), one PodWorker per
 * pod UID. When `signal` aborts, every pod's processes are stopped before it returns.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Watch } from '@kubernetes/client-node';
import type { AgentContext } from './context.js';
import { describeError } from './kube.js';
import type { Pod } from './kube-types.js';
import { killLeftovers } from './leftovers.js';
import { runNode } from './node.js';
import { PodWorker } from './pod-worker.js';
import { capLog } from './process.js';

/** How long the agent waits before listing again after a watch ended or a request failed. */
const RELIST_DELAY_MS = 1000;
/** How often running containers' log files are checked against the cap. */
const LOG_CHECK_MS = 5000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export async function runAgent(
  ctx: AgentContext,
  logMaxBytes: number,
  signal: AbortSignal,
): Promise<void> {
  const { log, kube } = ctx;
  const killed = killLeftovers(ctx.podsDir);
  if (killed.length > 0) log('agent.leftovers-killed', { pids: killed });

  while (!signal.aborted) {
    try {
      await runNode(kube, { name: ctx.nodeName, ip: ctx.placement.ip }, log, signal);
      break;
    } catch (err) {
      log('node.register-failed', { error: describeError(err) });
      await sleep(ctx.retryMs, signal);
    }
  }

  const workers = new Map<string, PodWorker>();
  const gone = (uid: string) => workers.delete(uid);
  const upsert = (pod: Pod) => {
    const uid = pod.metadata?.uid ?? '';
    const worker = workers.get(uid);
    if (worker === undefined) {
      const w = new PodWorker(pod, ctx, gone);
      workers.set(uid, w);
      w.kick();
    } else {
      worker.update(pod);
    }
  };

  const logTimer = setInterval(() => {
    for (const w of workers.values())
      for (const file of w.logFiles())
        if (capLog(file, logMaxBytes)) log('container.log-rotated', { file });
  }, LOG_CHECK_MS);

  let first = true;
  const watch = new Watch(kube.config);
  while (!signal.aborted) {
    try {
      const { pods, resourceVersion } = await kube.listPods(ctx.nodeName);
      const listed = new Set(pods.map((p) => p.metadata?.uid ?? ''));
      for (const [uid, w] of workers) if (!listed.has(uid)) void w.terminate(false);
      for (const pod of pods) upsert(pod);
      if (first) {
        removeStaleDirs(ctx.podsDir, listed);
        log('agent.watching', { node: ctx.nodeName, pods: pods.length });
        first = false;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          resolve();
        };
        void watch
          .watch(
            '/api/v1/pods',
            {
              fieldSelector: `spec.nodeName=${ctx.nodeName}`,
              resourceVersion,
              allowWatchBookmarks: true,
            },
            (type: string, obj: Pod) => {
              if (type === 'ADDED' || type === 'MODIFIED') upsert(obj);
              else if (type === 'DELETED')
                void workers.get(obj.metadata?.uid ?? '')?.terminate(false);
            },
            (err: unknown) => {
              if (err !== null && err !== undefined && !signal.aborted)
                log('agent.watch-ended', { error: describeError(err) });
              done();
            },
          )
          .then((controller) => {
            signal.addEventListener('abort', () => {
              controller.abort();
            });
          }, done);
      });
    } catch (err) {
      log('agent.list-failed', { error: describeError(err) });
    }
    await sleep(RELIST_DELAY_MS, signal);
  }

  clearInterval(logTimer);
  log('agent.stopping', { pods: workers.size });
  await Promise.all([...workers.values()].map((w) => w.shutdown()));
  log('agent.stopped', {});
}

/** Directories of pods that no longer exist (deleted while the agent was down). */
function removeStaleDirs(podsDir: string, uids: ReadonlySet<string>): void {
  let entries: string[];
  try {
    entries = readdirSync(podsDir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const uid = entry.slice(entry.lastIndexOf('_') + 1);
    if (!uids.has(uid)) rmSync(join(podsDir, entry), { recursive: true, force: true });
  }
}
