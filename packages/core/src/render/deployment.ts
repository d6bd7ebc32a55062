import type { ResolvedSecretRef } from '../api/types.js';
import { pullPolicy } from './image.js';
import { objectMeta, selectorLabels } from './labels.js';
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
        metadata: { labels },
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
        },
      },
    },
  };
}
