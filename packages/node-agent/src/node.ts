/**
 * The Node the agent stands for: registered once with its capacity and Ready condition, its
 * status refreshed every minute and its Lease in kube-node-lease renewed every 10 s, which is
 * what the node lifecycle controller watches (pkg/kubelet/nodelease, kubelet_node_status.go).
 */
import { cpus, hostname, release, totalmem } from 'node:os';
import type { V1Lease, V1Node } from '@kubernetes/client-node';
import type { Plain } from './kube-types.js';
import type { Kube } from './kube.js';
import { describeError } from './kube.js';
import type { Log } from './log.js';

/** How often the Lease is renewed (the kubelet's default `nodeLeaseDurationSeconds` 40 / 4). */
export const LEASE_RENEW_MS = 10_000;
/** The Lease's duration (kubelet `nodeLeaseDurationSeconds`, default 40). */
export const LEASE_DURATION_SECONDS = 40;
/** How often the Node status is re-posted (kubelet `nodeStatusReportFrequency` is 5 min; ours is shorter). */
export const NODE_STATUS_MS = 60_000;
/** Pods the node takes (kubelet `maxPods`, default 110). */
export const MAX_PODS = 110;
export const AGENT_VERSION = 'v0.1.0+eds-node-agent';

export interface NodeIdentity {
  readonly name: string;
  readonly ip: string;
}

export type NodeStatus = NonNullable<Plain<V1Node>['status']>;

export function nodeStatus(ip: string, now: Date): NodeStatus {
  const resources = {
    cpu: String(cpus().length),
    memory: `${Math.floor(totalmem() / 1024)}Ki`,
    pods: String(MAX_PODS),
  };
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now.toISOString(),
    lastTransitionTime: now.toISOString(),
  });
  return {
    capacity: resources,
    allocatable: resources,
    addresses: [
      { type: 'InternalIP', address: ip },
      { type: 'Hostname', address: hostname() },
    ],
    conditions: [
      condition(
        'MemoryPressure',
        'False',
        'KubeletHasSufficientMemory',
        'the eds node agent does not measure memory pressure',
      ),
      condition(
        'DiskPressure',
        'False',
        'KubeletHasNoDiskPressure',
        'the eds node agent does not measure disk pressure',
      ),
      condition(
        'PIDPressure',
        'False',
        'KubeletHasSufficientPID',
        'the eds node agent does not measure PID pressure',
      ),
      condition(
        'Ready',
        'True',
        'KubeletReady',
        'the eds node agent (a stand-in for the kubelet, running pods as local processes) is posting ready status',
      ),
    ],
    nodeInfo: {
      machineID: '',
      systemUUID: '',
      bootID: '',
      kernelVersion: release(),
      osImage: 'local processes (eds node agent)',
      containerRuntimeVersion: `local-process://${AGENT_VERSION}`,
      kubeletVersion: AGENT_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: process.arch === 'x64' ? 'amd64' : process.arch,
    },
  };
}

/** Registers the Node and keeps its Lease and status fresh until `signal` aborts. */
export async function runNode(
  kube: Kube,
  node: NodeIdentity,
  log: Log,
  signal: AbortSignal,
): Promise<void> {
  const body: Plain<V1Node> = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': process.arch === 'x64' ? 'amd64' : process.arch,
        'node.eds.local/agent': 'eds-node-agent',
      },
    },
    spec: {},
    status: nodeStatus(node.ip, new Date()),
  };
  await kube.registerNode(body);
  log('node.registered', { node: node.name });
  const created = await kube.core.readNode({ name: node.name });
  const lease = (): Plain<V1Lease> => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.name,
      namespace: 'kube-node-lease',
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Node', name: node.name, uid: created.metadata?.uid ?? '' },
      ],
    },
    spec: {
      holderIdentity: node.name,
      leaseDurationSeconds: LEASE_DURATION_SECONDS,
      renewTime: microTime(new Date()),
    },
  });
  const every = (ms: number, what: string, task: () => Promise<void>) => {
    const run = () => {
      task().catch((err: unknown) => {
        log(`node.${what}-failed`, { error: describeError(err) });
      });
    };
    run();
    const timer = setInterval(run, ms);
    signal.addEventListener('abort', () => {
      clearInterval(timer);
    });
  };
  every(LEASE_RENEW_MS, 'lease', () => kube.renewLease(lease()));
  every(NODE_STATUS_MS, 'status', () =>
    kube.patchNodeStatus(node.name, preserveTransitions(nodeStatus(node.ip, new Date()), created)),
  );
}

/** Conditions that keep their status keep their lastTransitionTime. */
function preserveTransitions(status: NodeStatus, before: V1Node): object {
  const old = new Map((before.status?.conditions ?? []).map((c) => [c.type, c]));
  return {
    capacity: status.capacity,
    allocatable: status.allocatable,
    addresses: status.addresses,
    nodeInfo: status.nodeInfo,
    conditions: (status.conditions ?? []).map((c) => {
      const o = old.get(c.type);
      return o?.status === c.status && o.lastTransitionTime !== undefined
        ? { ...c, lastTransitionTime: o.lastTransitionTime }
        : c;
    }),
  };
}

/** A MicroTime (metav1.MicroTime): RFC 3339 with microseconds. */
function microTime(d: Date): string {
  return d.toISOString().replace(/Z$/, '000Z');
}
