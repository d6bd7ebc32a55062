/** Builders for RunFunctionRequests shaped like Crossplane's. */
import {
  Ready,
  type Resource,
  type RunFunctionRequest,
} from '@crossplane-org/function-sdk-typescript';
import { parseYamlDocuments } from '@eds/core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

type Obj = Record<string, unknown>;

export const resource = (object: Obj, ready = Ready.READY_UNSPECIFIED): Resource => ({
  resource: object,
  connectionDetails: {},
  ready,
});

export function claimFile(name: string): Obj {
  const [doc] = parseYamlDocuments(readFileSync(`${ROOT}examples/${name}`, 'utf8'));
  return doc?.value as Obj;
}

/** The observed XR for a claim: v2 namespaced XR, or a legacy XR with the claim labels and `spec.claimRef` Crossplane sets. */
export function xrFor(claim: Obj, target: 'v2' | 'legacy' = 'v2'): Obj {
  const meta = claim.metadata as { name: string; namespace?: string };
  if (target === 'v2') {
    return {
      apiVersion: 'platform.bizmatters.io/v1alpha1',
      kind: 'EventDrivenService',
      metadata: { name: meta.name, namespace: meta.namespace, uid: 'u-1', generation: 1 },
      spec: {
        ...(claim.spec as Obj),
        crossplane: { compositionRef: { name: 'eventdrivenservice' } },
      },
    };
  }
  return {
    apiVersion: 'platform.bizmatters.io/v1alpha1',
    kind: 'XEventDrivenService',
    metadata: {
      name: `${meta.name}-x7k2p`,
      labels: {
        'crossplane.io/claim-name': meta.name,
        'crossplane.io/claim-namespace': meta.namespace,
      },
    },
    spec: {
      ...(claim.spec as Obj),
      compositionRef: { name: 'xeventdrivenservice' },
      claimRef: {
        apiVersion: 'platform.bizmatters.io/v1alpha1',
        kind: 'EventDrivenService',
        name: meta.name,
        namespace: meta.namespace,
      },
      resourceRefs: [],
    },
  };
}

export interface RequestParts {
  readonly xr: Obj;
  readonly target?: 'v2' | 'legacy';
  readonly observed?: Record<string, Obj>;
  readonly desired?: Record<string, Obj>;
  readonly pods?: Obj[];
  /** The HorizontalPodAutoscaler Crossplane fetched for the function. */
  readonly autoscaler?: Obj;
  /** Send the fetched objects as Crossplane v1.x does, in `extraResources`. */
  readonly extraResources?: boolean;
  readonly input?: Obj | null;
  readonly tag?: string;
}

export function request(parts: RequestParts): RunFunctionRequest {
  const target = parts.target ?? 'v2';
  return {
    meta: { tag: parts.tag ?? 'tag-1', capabilities: [] },
    observed: {
      composite: resource(parts.xr),
      resources: Object.fromEntries(
        Object.entries(parts.observed ?? {}).map(([k, v]) => [k, resource(v)]),
      ),
    },
    desired: {
      composite: undefined,
      resources: Object.fromEntries(
        Object.entries(parts.desired ?? {}).map(([k, v]) => [k, resource(v)]),
      ),
    },
    ...(parts.input === null
      ? {}
      : {
          input: parts.input ?? {
            apiVersion: 'eds.platform.bizmatters.io/v1alpha1',
            kind: 'Input',
            target,
          },
        }),
    context: {},
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- Crossplane v1.x sends it.
    extraResources: parts.extraResources === true ? fetched(parts) : {},
    credentials: {},
    requiredResources: parts.extraResources === true ? {} : fetched(parts),
    requiredSchemas: {},
  };
}

/** The resources Crossplane fetched for the function's requirements, by requirement name. */
function fetched(parts: RequestParts): RunFunctionRequest['requiredResources'] {
  return {
    ...(parts.pods === undefined ? {} : { pods: { items: parts.pods.map((p) => resource(p)) } }),
    ...(parts.autoscaler === undefined
      ? {}
      : { autoscaler: { items: [resource(parts.autoscaler)] } }),
  };
}

/** Observed objects as the API server would show them, healthy unless told otherwise. */
export const observed = {
  deployment: (status: Obj = {}, replicas = 2): Obj => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'simple-worker', generation: 3 },
    spec: { replicas },
    status: {
      observedGeneration: 3,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      ...status,
    },
  }),
  scaledObject: (
    ready: Obj = {
      type: 'Ready',
      status: 'True',
      reason: 'ScaledObjectReady',
      message: 'ScaledObject is defined correctly and is ready for scaling',
    },
  ): Obj => ({
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'simple-worker-scaler' },
    status: { conditions: [ready] },
  }),
  service: (): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'simple-worker' } }),
  serviceAccount: (): Obj => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'simple-worker' },
  }),
  /**
   * The HorizontalPodAutoscaler KEDA makes for the ScaledObject, as the HPA controller reports it:
   * an External metric with an AverageValue target of the lag threshold (KEDA's default), the lag
   * per replica in `current.averageValue`.
   */
  autoscaler: (status: Obj = {}, name = 'keda-hpa-simple-worker-scaler'): Obj => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name,
      namespace: 'workers',
      labels: { 'scaledobject.keda.sh/name': 'simple-worker-scaler' },
    },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'simple-worker' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        {
          type: 'External',
          external: {
            metric: {
              name: 's0-nats-jetstream-SIMPLE_JOBS',
              selector: { matchLabels: { 'scaledobject.keda.sh/name': 'simple-worker-scaler' } },
            },
            target: { type: 'AverageValue', averageValue: '100' },
          },
        },
      ],
    },
    status: {
      currentReplicas: 2,
      desiredReplicas: 3,
      lastScaleTime: '2026-12-04T20:15:00Z',
      currentMetrics: [
        {
          type: 'External',
          external: {
            metric: {
              name: 's0-nats-jetstream-SIMPLE_JOBS',
              selector: { matchLabels: { 'scaledobject.keda.sh/name': 'simple-worker-scaler' } },
            },
            current: { averageValue: '125' },
          },
        },
      ],
      ...status,
    },
  }),
  /** A NACK Consumer as its controller reports it (Ready, for generation 1, unless told). */
  consumer: (
    ready = 'True',
    message = 'Consumer successfully created or updated.',
    observedGeneration = 1,
  ): Obj => ({
    apiVersion: 'jetstream.nats.io/v1beta2',
    kind: 'Consumer',
    metadata: { name: 'simple-worker', generation: 1 },
    status: {
      observedGeneration,
      conditions: [
        {
          type: 'Ready',
          status: ready,
          reason: ready === 'True' ? 'Created' : 'Errored',
          message,
          lastTransitionTime: '2026-12-04T20:15:00Z',
        },
      ],
    },
  }),
  /** As the disruption controller reports a budget over two ready pods. */
  podDisruptionBudget: (): Obj => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'simple-worker', generation: 1 },
    status: {
      observedGeneration: 1,
      currentHealthy: 2,
      desiredHealthy: 1,
      expectedPods: 2,
      disruptionsAllowed: 1,
    },
  }),
};

export const allHealthy = (): Record<string, Obj> => ({
  serviceaccount: observed.serviceAccount(),
  deployment: observed.deployment(),
  service: observed.service(),
  scaledobject: observed.scaledObject(),
  poddisruptionbudget: observed.podDisruptionBudget(),
});

/** The labels every pod of the service carries (its Deployment's pod template). */
export const podLabels: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'simple-worker',
  'app.kubernetes.io/component': 'event-driven-worker',
  'app.kubernetes.io/managed-by': 'crossplane',
  'app.kubernetes.io/version': 'v1.0.0',
};

export function pod(status: Obj, name = 'simple-worker-6d9f-abcde', labels = podLabels): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, status };
}

/** A pod whose main container waits for `reason`, as the kubelet reports it. */
const waitingPod = (reason: string, message: string): Obj =>
  pod({
    containerStatuses: [{ name: 'main', restartCount: 0, state: { waiting: { reason, message } } }],
  });

/** Pods as the kubelet reports the failures the function names. */
export const failingPod = {
  imagePull: (): Obj =>
    waitingPod('ImagePullBackOff', 'Back-off pulling image "ghcr.io/org/simple-worker:v1.0.0"'),
  missingSecret: (secret: string): Obj =>
    waitingPod('CreateContainerConfigError', `secret "${secret}" not found`),
  initCrashLoop: (): Obj =>
    pod({
      initContainerStatuses: [
        {
          name: 'init',
          restartCount: 3,
          lastState: { terminated: { exitCode: 2 } },
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
        },
      ],
    }),
};
