/** Package metadata, the function image's Dockerfile and the Argo CD platform layer. */
import type { KubeObject } from '../render/types.js';
import {
  CONFIGURATION_PACKAGE,
  FUNCTION_NAME,
  FUNCTION_PACKAGE,
  PACKAGE_VERSION,
} from './manifests.js';

const annotations = {
  'meta.crossplane.io/maintainer': 'Platform team',
  'meta.crossplane.io/source': 'github.com/bizmatters/eds',
  'meta.crossplane.io/description':
    'EventDrivenService: hardened, KEDA-autoscaled NATS JetStream workers from a 30-line claim.',
};

export function configurationMeta(target: 'v2' | 'legacy'): KubeObject {
  return {
    apiVersion: 'meta.pkg.crossplane.io/v1',
    kind: 'Configuration',
    metadata: {
      name: target === 'v2' ? 'configuration-eds' : 'configuration-eds-legacy',
      annotations,
    },
    spec: {
      crossplane: { version: target === 'v2' ? '>=v2.0.0' : '>=v1.17.0' },
      dependsOn: [
        {
          apiVersion: 'pkg.crossplane.io/v1',
          kind: 'Function',
          package: FUNCTION_PACKAGE,
          version: `>=${PACKAGE_VERSION}`,
        },
        ...(target === 'legacy'
          ? [
              {
                apiVersion: 'pkg.crossplane.io/v1',
                kind: 'Provider',
                package: 'xpkg.crossplane.io/crossplane-contrib/provider-kubernetes',
                version: '>=v0.15.0',
              },
            ]
          : []),
      ],
    },
  };
}

export function functionMeta(): KubeObject {
  return {
    apiVersion: 'meta.pkg.crossplane.io/v1beta1',
    kind: 'Function',
    metadata: { name: FUNCTION_NAME, annotations },
    spec: { crossplane: { version: '>=v1.17.0' } },
  };
}

/** Installs the function and the Configuration (sync wave 1 of the platform, seed §7.4). */
export function platformInstall(): KubeObject[] {
  const wave = (n: number) => ({ 'argocd.argoproj.io/sync-wave': String(n) });
  return [
    {
      // Requests and a memory limit for the function's pod; FUNCTION_NODE_FLAGS keep its
      // resident set near 80 MiB, and the old-space ceiling (256 MiB) fits under the limit.
      apiVersion: 'pkg.crossplane.io/v1beta1',
      kind: 'DeploymentRuntimeConfig',
      metadata: { name: FUNCTION_NAME, annotations: wave(0) },
      spec: {
        deploymentTemplate: {
          spec: {
            selector: {},
            template: {
              spec: {
                containers: [
                  {
                    name: 'package-runtime',
                    resources: {
                      requests: { cpu: '50m', memory: '128Mi' },
                      limits: { memory: '384Mi' },
                    },
                  },
                ],
              },
            },
          },
        },
      },
    },
    {
      apiVersion: 'pkg.crossplane.io/v1',
      kind: 'Function',
      metadata: { name: FUNCTION_NAME, annotations: wave(0) },
      spec: {
        package: `${FUNCTION_PACKAGE}:${PACKAGE_VERSION}`,
        runtimeConfigRef: { name: FUNCTION_NAME },
      },
    },
    {
      apiVersion: 'pkg.crossplane.io/v1',
      kind: 'Configuration',
      metadata: { name: 'configuration-eds', annotations: wave(1) },
      // The Function above is its dependency. Applied together (kubectl apply -f, without Argo
      // CD's waves), Crossplane's dependency manager can reach the Configuration before the
      // Function is in its Lock and install a second Function, bizmatters-function-eds, for the
      // same package; then neither is healthy. Seen on the local cluster.
      spec: {
        package: `${CONFIGURATION_PACKAGE}:${PACKAGE_VERSION}`,
        skipDependencyResolution: true,
      },
    },
  ];
}

/**
 * The Argo CD Application for the platform API layer. Waves across the platform: 0 NATS,
 * Crossplane, KEDA and ESO; 1 this layer; 2 database claims and ExternalSecrets; 3 the
 * EventDrivenService claims.
 */
export function argoApplication(): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'platform-apis-eds',
      namespace: 'argocd',
      annotations: { 'argocd.argoproj.io/sync-wave': '1' },
    },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://github.com/bizmatters/eds.git',
        targetRevision: 'main',
        path: 'package/platform',
      },
      destination: { server: 'https://kubernetes.default.svc' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        // Crossplane installs the CRDs the Configuration brings; let Argo CD wait for them.
        syncOptions: ['SkipDryRunOnMissingResource=true'],
      },
    },
  };
}

/**
 * Node flags the function image runs with. A 2 MiB young generation and a 256 MiB old-space
 * ceiling make V8 collect before the heap grows far: peak RSS about 77 MiB instead of 100–134
 * under load, at the same latency (bench/function-latency.mjs measures these flags).
 */
export const FUNCTION_NODE_FLAGS = ['--max-semi-space-size=2', '--max-old-space-size=256'];

/** Multi-stage image for the function: builds in one stage, ships production dependencies only. */
export const FUNCTION_DOCKERFILE = `# Generated by \`eds generate\`. Build from the repository root:
#   docker build -f package/function/Dockerfile -t ${FUNCTION_PACKAGE}:${PACKAGE_VERSION} .
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY packages/core/package.json packages/core/
COPY packages/function/package.json packages/function/
COPY packages/cli/package.json packages/cli/
COPY packages/worker/package.json packages/worker/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY packages/core packages/core
COPY packages/function packages/function
COPY packages/cli packages/cli
RUN npx tsc -b packages/cli/tsconfig.build.json \\
 && npm prune --omit=dev --ignore-scripts \\
 && rm -rf packages/*/src packages/*/test

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages/core ./packages/core
COPY --from=build /src/packages/function ./packages/function
COPY --from=build /src/packages/cli ./packages/cli
# The node image's "node" user has UID 1000; the function needs no privileges.
USER 1000:1000
EXPOSE 9443
# Crossplane mounts the TLS certificates and sets TLS_SERVER_CERTS_DIR. The heap flags keep
# the resident set under 100 MiB under load (bench/function-latency.mjs).
ENTRYPOINT ${JSON.stringify(['node', ...FUNCTION_NODE_FLAGS, 'packages/cli/bin/eds.js', 'function', 'serve']).replaceAll(',', ', ')}
`;
