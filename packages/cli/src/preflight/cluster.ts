/**
 * `eds preflight --kubeconfig/--context`: reads what `clusterFindings` checks from the API
 * server with `@kubernetes/client-node`, each request with the timeout. Only GETs: preflight
 * changes nothing in the cluster. A read the context may not make is a finding, not a failure.
 */
import {
  CLUSTER_CRDS,
  clusterFindings,
  EXTERNAL_METRICS_API,
  functionNames,
  XRD_NAMES,
  type Claim,
  type ClusterAnswers,
  type Finding,
  type Read,
} from '@eds/core';
import {
  ApiException,
  ApiextensionsV1Api,
  ApiregistrationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Observable,
  type ConfigurationOptions,
} from '@kubernetes/client-node';
import { redactCredentials } from '@eds/worker';
import { reason } from '../monitoring.js';

export interface ClusterTarget {
  /** A kubeconfig file; absent: `KUBECONFIG` or ~/.kube/config, as kubectl reads them. */
  readonly kubeconfig?: string;
  readonly context?: string;
}

/** What the API server's error body says, in one line. */
function apiMessage(e: ApiException<unknown>): string {
  const body: unknown = e.body;
  try {
    const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown };
    if (typeof parsed.message === 'string') return `HTTP ${e.code}: ${parsed.message}`;
  } catch {
    // not JSON: the status says enough
  }
  return `HTTP ${e.code}`;
}

async function read(ask: () => Promise<unknown>): Promise<Read> {
  try {
    return { status: 'found', object: await ask() };
  } catch (e) {
    if (e instanceof ApiException) {
      return e.code === 404
        ? { status: 'missing' }
        : { status: 'failed', reason: apiMessage(e as ApiException<unknown>) };
    }
    return { status: 'failed', reason: reason(e) };
  }
}

/** Options that give each request its own deadline (client-node has no timeout setting). */
function withTimeout(ms: number): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (request) => {
          request.setSignal(AbortSignal.timeout(ms));
          return new Observable(Promise.resolve(request));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/** The kubeconfig as kubectl would read it, on the context asked for. */
export function loadKubeConfig(target: ClusterTarget): KubeConfig {
  const kc = new KubeConfig();
  if (target.kubeconfig === undefined) kc.loadFromDefault();
  else kc.loadFromFile(target.kubeconfig);
  if (target.context !== undefined) {
    if (kc.getContextObject(target.context) === null) {
      const known = kc.getContexts().map((c) => JSON.stringify(c.name));
      throw new Error(
        `the kubeconfig has no context ${JSON.stringify(target.context)} (contexts: ${known.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(target.context);
  }
  if (kc.getCurrentCluster() === null) {
    throw new Error('the kubeconfig names no cluster for its current context');
  }
  return kc;
}

/** Where the answers come from, for the report: `context (server)`. */
export function describeTarget(kc: KubeConfig): string {
  return `context ${kc.getCurrentContext()} (${redactCredentials(kc.getCurrentCluster()?.server ?? '?')})`;
}

export async function clusterCheck(
  kc: KubeConfig,
  claim: Claim,
  timeoutMs: number,
): Promise<Finding[]> {
  const opts = withTimeout(timeoutMs);
  const core = kc.makeApiClient(CoreV1Api);
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const registration = kc.makeApiClient(ApiregistrationV1Api);
  const contextNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
  const namespace = claim.namespace ?? contextNamespace ?? 'default';

  const namespaceObject = await read(() => core.readNamespace({ name: namespace }, opts));
  // A server that cannot be reached fails every read the same way: say it once.
  if (namespaceObject.status === 'failed' && !/^HTTP \d/.test(namespaceObject.reason)) {
    return [
      {
        check: 'cluster',
        severity: 'error',
        message: `the API server of ${describeTarget(kc)} gave ${namespaceObject.reason}`,
        fix: 'check --kubeconfig and --context (kubectl --context <name> get namespaces)',
      },
    ];
  }
  const secretNames = [
    ...new Set([...claim.spec.secrets.map((s) => s.name), ...claim.spec.imagePullSecrets]),
  ];
  const secrets: Record<string, Read> = {};
  for (const name of secretNames) {
    secrets[name] = await read(() => core.readNamespacedSecret({ name, namespace }, opts));
  }
  const crds: Record<string, Read> = {};
  for (const name of Object.values(CLUSTER_CRDS)) {
    crds[name] = await read(() => ext.readCustomResourceDefinition({ name }, opts));
  }
  const xrd = (name: string) =>
    read(() =>
      custom.getClusterCustomObject(
        {
          group: 'apiextensions.crossplane.io',
          version: 'v1',
          plural: 'compositeresourcedefinitions',
          name,
        },
        opts,
      ),
    );
  const xrds = { v2: await xrd(XRD_NAMES.v2), legacy: await xrd(XRD_NAMES.legacy) };
  const compositions = await read(() =>
    custom.listClusterCustomObject(
      { group: 'apiextensions.crossplane.io', version: 'v1', plural: 'compositions' },
      opts,
    ),
  );
  const target = xrds.v2.status === 'found' ? 'v2' : 'legacy';
  const functions: Record<string, Read> = {};
  for (const name of functionNames(compositions, target)) {
    functions[name] = await read(() =>
      custom.getClusterCustomObject(
        { group: 'pkg.crossplane.io', version: 'v1', plural: 'functions', name },
        opts,
      ),
    );
  }
  const externalMetrics = await read(() =>
    registration.readAPIService({ name: EXTERNAL_METRICS_API }, opts),
  );
  const answers: ClusterAnswers = {
    where: describeTarget(kc),
    namespace,
    namespaceObject,
    secrets,
    crds,
    xrds,
    compositions,
    functions,
    externalMetrics,
  };
  return clusterFindings(answers, claim);
}
