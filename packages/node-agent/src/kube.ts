/**
 * The agent's calls to the API server, through `@kubernetes/client-node`: one place for the
 * requests, their patch types and their error handling.
 */
/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment -- client-node's
   generated API types bodies as its model classes; its ObjectSerializer reads plain objects of
   the same shape field by field, so object literals are what it is given here. */
import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Lease,
  type V1LeaseSpec,
  type V1Node,
} from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { toWire, type Plain, type Pod } from './kube-types.js';
import type { ObjectData, ObjectKind } from './objects.js';

/** HTTP status of an API error, or undefined for other failures (network, TLS). */
export function statusOf(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** An error as one short line for the log (API errors by status and the server's message). */
export function describeError(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = err.body;
    const message = typeof body === 'string' ? (safeMessage(body) ?? '') : '';
    return `HTTP ${err.code}${message === '' ? '' : `: ${message}`}`;
  }
  return err instanceof Error ? err.message : String(err);
}

function safeMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const base64 = (v: string) => Buffer.from(v, 'base64');

export class Kube {
  readonly config: KubeConfig;
  readonly core: CoreV1Api;
  readonly coordination: CoordinationV1Api;

  constructor(kubeconfigPath: string) {
    this.config = new KubeConfig();
    this.config.loadFromFile(kubeconfigPath);
    this.core = this.config.makeApiClient(CoreV1Api);
    this.coordination = this.config.makeApiClient(CoordinationV1Api);
  }

  /** The Secret's or ConfigMap's keys, or undefined when it does not exist. */
  async objectData(
    kind: ObjectKind,
    namespace: string,
    name: string,
  ): Promise<ObjectData | undefined> {
    try {
      if (kind === 'Secret') {
        const s = await this.core.readNamespacedSecret({ name, namespace });
        const bytes = Object.fromEntries(
          Object.entries(s.data ?? {}).map(([k, v]) => [k, base64(v)]),
        );
        return { strings: {}, bytes };
      }
      const c = await this.core.readNamespacedConfigMap({ name, namespace });
      const bytes = Object.fromEntries(
        Object.entries(c.binaryData ?? {}).map(([k, v]) => [k, base64(v)]),
      );
      return { strings: c.data ?? {}, bytes };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /** A token for the service account, bound to the pod (TokenRequest), as the kubelet asks for one. */
  async serviceAccountToken(
    pod: { readonly namespace: string; readonly name: string; readonly uid: string },
    serviceAccount: string,
    request: { readonly audience?: string; readonly expirationSeconds?: number },
  ): Promise<string> {
    const answer = await this.core.createNamespacedServiceAccountToken({
      name: serviceAccount,
      namespace: pod.namespace,
      body: {
        spec: {
          audiences: request.audience === undefined ? [] : [request.audience],
          ...(request.expirationSeconds === undefined
            ? {}
            : { expirationSeconds: request.expirationSeconds }),
          boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.name, uid: pod.uid },
        },
      },
    });
    return answer.status?.token ?? '';
  }

  /** The API server's URL and CA (base64 PEM) as the agent reaches it. */
  server(): { readonly url: string; readonly caData?: string } {
    const cluster = this.config.getCurrentCluster();
    const caData =
      cluster?.caData ??
      (cluster?.caFile === undefined ? undefined : readFileSync(cluster.caFile).toString('base64'));
    return { url: cluster?.server ?? '', ...(caData === undefined ? {} : { caData }) };
  }

  /** The pods bound to `node`, as wire JSON, and the list's resourceVersion. */
  async listPods(node: string): Promise<{ pods: Pod[]; resourceVersion: string }> {
    const list = await this.core.listPodForAllNamespaces({
      fieldSelector: `spec.nodeName=${node}`,
    });
    return { pods: list.items.map(toWire), resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  async patchPodStatus(namespace: string, name: string, status: object): Promise<void> {
    await this.core.patchNamespacedPodStatus({ name, namespace, body: { status } }, MERGE_PATCH);
  }

  async patchPodAnnotations(
    namespace: string,
    name: string,
    annotations: Record<string, string>,
  ): Promise<void> {
    await this.core.patchNamespacedPod(
      { name, namespace, body: { metadata: { annotations } } },
      MERGE_PATCH,
    );
  }

  /** Deletes the pod at once (grace 0), as the kubelet does once its containers are gone; gone already is fine. */
  async deletePod(namespace: string, name: string, uid: string): Promise<void> {
    try {
      await this.core.deleteNamespacedPod({
        name,
        namespace,
        gracePeriodSeconds: 0,
        body: { gracePeriodSeconds: 0, preconditions: { uid } },
      });
    } catch (err) {
      const code = statusOf(err);
      if (code !== 404 && code !== 409) throw err;
    }
  }

  /**
   * Creates the Node, or when it exists replaces its status (labels are merged). Bodies here are
   * wire JSON; the serializer passes their timestamp strings through as they are.
   */
  async registerNode(node: Plain<V1Node>): Promise<void> {
    const name = node.metadata?.name ?? '';
    try {
      await this.core.createNode({ body: node as unknown as V1Node });
      return;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    await this.core.patchNode(
      { name, body: { metadata: { labels: node.metadata?.labels ?? {} } } },
      MERGE_PATCH,
    );
    await this.patchNodeStatus(name, node.status ?? {});
  }

  async patchNodeStatus(name: string, status: object): Promise<void> {
    await this.core.patchNodeStatus({ name, body: { status } }, MERGE_PATCH);
  }

  /** Creates or renews the Lease. */
  async renewLease(lease: Plain<V1Lease>): Promise<void> {
    const name = lease.metadata?.name ?? '';
    const namespace = lease.metadata?.namespace ?? '';
    try {
      const current = await this.coordination.readNamespacedLease({ name, namespace });
      current.spec = (lease.spec ?? {}) as unknown as V1LeaseSpec;
      await this.coordination.replaceNamespacedLease({ name, namespace, body: current });
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      await this.coordination.createNamespacedLease({
        namespace,
        body: lease as unknown as V1Lease,
      });
    }
  }
}
