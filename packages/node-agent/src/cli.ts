/**
 * `eds-node-agent`: test infrastructure for the local cluster (cluster/up.sh), a stand-in for
 * the kubelet that runs each pod's containers as local processes, with no isolation. See
 * docs/node-agent.md. Exits 0 after SIGTERM or SIGINT, once every pod's processes are gone.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { runAgent } from './agent.js';
import { KUBELET_BACKOFF, scaleBackoff } from '@eds/core';
import type { AgentContext } from './context.js';
import { ImageMapFile } from './image-map-file.js';
import { Kube } from './kube.js';
import { stdoutLog } from './log.js';
import { startServiceProxy, type ServiceProxy } from './service-proxy.js';

const USAGE = `Usage: eds-node-agent --kubeconfig FILE --state-dir DIR --image-map FILE [options]

A stand-in for the kubelet, for the local test cluster only: runs the pods bound to its Node
as local processes (no containers, no isolation, the host's network). Not for production.

Options:
  --node-name NAME             the Node to register (default eds-local)
  --node-ip IP                 its InternalIP, and every pod's IP (default 127.0.0.1)
  --backoff-scale FACTOR       multiply the crash-loop and image back-off, 10 s to 5 min (default 1)
  --retry-seconds N            retry a missing Secret, ConfigMap or volume every N s (default 2)
  --shutdown-grace-seconds N   the longest wait for pods' processes when the agent stops (default 5)
  --log-max-bytes N            rotate a container's log file past N bytes (default 10485760)
  --service-proxy HOST:PORT    also serve the service proxy there: CONNECT <service>.<namespace>:<port>
                               reaches a ready pod of that Service on this node (for HTTPS_PROXY)
`;

/** A container log's size cap: 10 MiB, the kubelet's `containerLogMaxSize` default. */
const LOG_MAX_BYTES = 10 * 1024 * 1024;

function number(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`--${name}: ${JSON.stringify(value)} is not a non-negative number`);
  return n;
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

export async function main(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        kubeconfig: { type: 'string' },
        'state-dir': { type: 'string' },
        'image-map': { type: 'string' },
        'node-name': { type: 'string', default: 'eds-local' },
        'node-ip': { type: 'string', default: '127.0.0.1' },
        'backoff-scale': { type: 'string' },
        'retry-seconds': { type: 'string' },
        'shutdown-grace-seconds': { type: 'string' },
        'log-max-bytes': { type: 'string' },
        'service-proxy': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`eds-node-agent: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { kubeconfig, 'state-dir': stateDir, 'image-map': imageMap } = values;
  if (kubeconfig === undefined || stateDir === undefined || imageMap === undefined) {
    process.stderr.write(
      `eds-node-agent: --kubeconfig, --state-dir and --image-map are required\n${USAGE}`,
    );
    return 2;
  }
  let ctx: AgentContext;
  let logMaxBytes: number;
  try {
    const podsDir = join(resolve(stateDir), 'pods');
    mkdirSync(podsDir, { recursive: true, mode: 0o700 });
    logMaxBytes = number(values['log-max-bytes'], 'log-max-bytes', LOG_MAX_BYTES);
    const memory = totalmem();
    ctx = {
      kube: new Kube(kubeconfig),
      log: stdoutLog,
      images: new ImageMapFile(resolve(imageMap), stdoutLog),
      nodeName: values['node-name'],
      placement: {
        ip: values['node-ip'],
        allocatable: { cpu: cpus().length, memory, 'ephemeral-storage': memory },
      },
      podsDir,
      backoff: scaleBackoff(KUBELET_BACKOFF, number(values['backoff-scale'], 'backoff-scale', 1)),
      retryMs: number(values['retry-seconds'], 'retry-seconds', 2) * 1000,
      shutdownGraceMs: number(values['shutdown-grace-seconds'], 'shutdown-grace-seconds', 5) * 1000,
      path: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    };
  } catch (err) {
    process.stderr.write(`eds-node-agent: ${(err as Error).message}\n`);
    return 2;
  }

  const stop = new AbortController();
  const onSignal = (name: string) => {
    if (stop.signal.aborted) return;
    ctx.log('agent.signal', { signal: name });
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  ctx.log('agent.starting', {
    node: ctx.nodeName,
    stateDir: resolve(stateDir),
    imageMap: ctx.images.path,
    pid: process.pid,
  });
  ctx.images.current();
  let proxy: ServiceProxy | undefined;
  if (values['service-proxy'] !== undefined) {
    const listen = /^(.+):(\d{1,5})$/.exec(values['service-proxy']);
    if (listen?.[1] === undefined || listen[2] === undefined) {
      process.stderr.write(
        `eds-node-agent: --service-proxy: ${JSON.stringify(values['service-proxy'])} is not HOST:PORT\n`,
      );
      return 2;
    }
    try {
      proxy = await startServiceProxy(
        ctx.kube,
        ctx.nodeName,
        { host: listen[1], port: Number(listen[2]) },
        ctx.log,
      );
    } catch (err) {
      process.stderr.write(`eds-node-agent: --service-proxy: ${(err as Error).message}\n`);
      return 2;
    }
  }
  await runAgent(ctx, logMaxBytes, stop.signal);
  await proxy?.close();
  return 0;
}
