import { SHUTDOWN_TIMEOUT_ENV } from '../api/constants.js';
import type { ResolvedSecretRef } from '../api/types.js';
import { pullPolicy } from './image.js';
import { objectMeta, selectorLabels, sortedByKey } from './labels.js';
import { SIZE_PRESETS } from './sizes.js';
import type { KubeObject, RenderContext } from './types.js';

export const HTTP_PORT = 8080;
export const HTTP_PORT_NAME = 'http';
export const RUN_AS = 1000;
const TMP_VOLUME = 'tmp';

/** Pod Security Standards "restricted", with a read-only root filesystem. */
const containerSecurityContext = {
  runAsNonRoot: true,
  runAsUser: RUN_AS,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

const podSecurityContext = {
  runAsNonRoot: true,
  runAsUser: RUN_AS,
  runAsGroup: RUN_AS,
  fsGroup: RUN_AS,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Least time the worker keeps for exit after its drain deadline: 2 s. */
export const SHUTDOWN_MARGIN_MIN_MS = 2_000;
/** Share of the grace period kept for exit after the drain deadline: 10 %. */
export const SHUTDOWN_MARGIN_FRACTION = 0.1;
/** The worker's smallest accepted `EDS_SHUTDOWN_TIMEOUT_MS` (`@eds/worker` settings bounds). */
export const SHUTDOWN_TIMEOUT_MIN_MS = 1_000;

/**
 * The worker's shutdown deadline (`EDS_SHUTDOWN_TIMEOUT_MS`) for a pod grace period: the grace
 * period less a margin of max(2 s, 10 %), so the worker exits before the kubelet's SIGKILL;
 * never below the worker's minimum of 1 s. 30 s → 27000, 10 s → 8000, 120 s → 108000,
 * 2 s → 1000.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 */
export function shutdownTimeoutMs(gracePeriodSeconds: number): number {
  const graceMs = gracePeriodSeconds * 1_000;
  const margin = Math.max(SHUTDOWN_MARGIN_MIN_MS, Math.round(graceMs * SHUTDOWN_MARGIN_FRACTION));
  return Math.max(SHUTDOWN_TIMEOUT_MIN_MS, graceMs - margin);
}

/** Per-key secret env vars (`secretKeyRef`), in secret order then key order. */
function secretEnv(secrets: readonly ResolvedSecretRef[]): object[] {
  return secrets.flatMap((s) =>
    s.env.map((m) => ({
      name: m.envName,
      valueFrom: { secretKeyRef: { name: s.name, key: m.secretKey } },
    })),
  );
}

/** Bulk secrets (`envFrom`): the five slots in order, then `secretRefs` with `envFrom: true`. */
function secretEnvFrom(secrets: readonly ResolvedSecretRef[]): object[] {
  return secrets.filter((s) => s.envFrom).map((s) => ({ secretRef: { name: s.name } }));
}

/** `{ [key]: items }`, or nothing when there are no items: empty lists are left out. */
const nonEmpty = (key: string, items: readonly unknown[]): Record<string, readonly unknown[]> =>
  items.length === 0 ? {} : { [key]: items };

function probe(path: string, timing: Record<string, number>): object {
  return { httpGet: { path, port: HTTP_PORT }, ...timing };
}

/**
 * The claim's pod annotations, in key order (as the API server returns a map), or nothing: a
 * claim without them renders as it always has. The platform writes no annotation of its own on
 * the pods (see api/annotations.ts for the keys a claim may not set).
 */
function podAnnotations(annotations: Readonly<Record<string, string>>): Record<string, unknown> {
  if (Object.keys(annotations).length === 0) return {};
  return { annotations: sortedByKey(annotations) };
}

/**
 * Where the pods are spread: zones first, then nodes, the well-known labels the kubelet and cloud
 * providers set. A cluster without zone labels counts every node in one domain (no skew), so the
 * zone constraint is then a no-op.
 * @see https://kubernetes.io/docs/reference/labels-annotations-taints/#topologykubernetesiozone
 */
export const SPREAD_TOPOLOGY_KEYS = ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'];

/**
 * Each rollout's pods are counted apart: the Deployment controller gives every ReplicaSet's pods
 * their own `pod-template-hash`, so the old pods on their way out do not skew where the new ones
 * go. `matchLabelKeys` is on by default since Kubernetes 1.27 (feature gate
 * MatchLabelKeysInPodTopologySpread); the project's Kubernetes libraries are 1.35.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/#topology-spread-constraint-definition
 */
export const SPREAD_MATCH_LABEL_KEYS = ['pod-template-hash'];

/**
 * Spread across zones and nodes, at most one pod apart (`maxSkew: 1`), counting the service's
 * pods (its selector, `app.kubernetes.io/name`), as a preference
 * (`ScheduleAnyway`): the scheduler scores nodes by it but never leaves a pod pending for it, so
 * a one-node cluster or a full zone still runs every replica.
 */
function topologySpread(ctx: RenderContext): Record<string, unknown> {
  if (!ctx.spec.availability.topologySpread) return {};
  return {
    topologySpreadConstraints: SPREAD_TOPOLOGY_KEYS.map((topologyKey) => ({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: selectorLabels(ctx.service) },
      matchLabelKeys: SPREAD_MATCH_LABEL_KEYS,
    })),
  };
}

export function renderDeployment(ctx: RenderContext): KubeObject {
  const { service, spec, labels } = ctx;
  const policy = pullPolicy(ctx.image);
  const resources = SIZE_PRESETS[spec.size];
  const env = secretEnv(spec.secrets);
  const envFrom = secretEnvFrom(spec.secrets);
  const tmp = [{ name: TMP_VOLUME, mountPath: '/tmp' }];
  const init = spec.initContainer;

  const main = {
    name: 'main',
    image: spec.image,
    imagePullPolicy: policy,
    ports: [{ name: HTTP_PORT_NAME, containerPort: HTTP_PORT, protocol: 'TCP' }],
    env: [
      { name: 'NATS_URL', value: spec.nats.url },
      { name: 'NATS_STREAM_NAME', value: spec.nats.stream },
      { name: 'NATS_CONSUMER_GROUP', value: spec.nats.consumer },
      {
        name: SHUTDOWN_TIMEOUT_ENV,
        value: String(shutdownTimeoutMs(spec.terminationGracePeriodSeconds)),
      },
      ...env,
    ],
    ...nonEmpty('envFrom', envFrom),
    resources,
    securityContext: containerSecurityContext,
    livenessProbe: probe('/health', {
      initialDelaySeconds: 10,
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    }),
    readinessProbe: probe('/ready', {
      initialDelaySeconds: 5,
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 2,
    }),
    volumeMounts: tmp,
  };

  const initContainers =
    init === undefined
      ? []
      : [
          {
            name: 'init',
            image: spec.image,
            imagePullPolicy: policy,
            ...(init.command === undefined ? {} : { command: init.command }),
            ...(init.args === undefined ? {} : { args: init.args }),
            ...nonEmpty('env', env),
            ...nonEmpty('envFrom', envFrom),
            resources,
            securityContext: containerSecurityContext,
            volumeMounts: tmp,
          },
        ];

  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMeta(service.name, service, labels),
    spec: {
      selector: { matchLabels: selectorLabels(service) },
      template: {
        metadata: { labels, ...podAnnotations(spec.podAnnotations) },
        spec: {
          serviceAccountName: service.name,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
          securityContext: podSecurityContext,
          ...nonEmpty(
            'imagePullSecrets',
            spec.imagePullSecrets.map((name) => ({ name })),
          ),
          ...nonEmpty('initContainers', initContainers),
          containers: [main],
          volumes: [{ name: TMP_VOLUME, emptyDir: {} }],
          ...topologySpread(ctx),
        },
      },
    },
  };
}
