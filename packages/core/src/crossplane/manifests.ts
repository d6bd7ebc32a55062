/** The Crossplane objects of the EventDrivenService packages, for both targets. */
import {
  API_GROUP,
  API_VERSION,
  API_VERSION_NAME,
  HEALTH_CONDITION,
  KIND,
  LEGACY_XR_KIND,
} from '../api/constants.js';
import type { KubeObject } from '../render/types.js';
import { DEFAULT_PROVIDER_CONFIG, INPUT_API_VERSION, INPUT_KIND, type Target } from './targets.js';
import { functionInputOpenApiSchema, xrdOpenApiSchema } from './xrd-schema.js';

export const FUNCTION_NAME = 'function-eds';
export const FUNCTION_PACKAGE = 'ghcr.io/bizmatters/function-eds';
export const CONFIGURATION_PACKAGE = 'ghcr.io/bizmatters/configuration-eds';
export const PACKAGE_VERSION = 'v0.1.0';

const PLURAL = 'eventdrivenservices';

/**
 * `kubectl get` columns before the ones Crossplane appends to every XR and claim (SYNCED, READY,
 * COMPOSITION or CONNECTION-SECRET, AGE: crossplane-runtime pkg/xcrd, so READY is not repeated).
 * The default view answers "does it work, and how many run": ready replicas and the health
 * reason. `-o wide` adds why it is that size (the autoscaler's desired count and the lag it read)
 * and the health message, which is long.
 */
const printerColumns = [
  { name: 'REPLICAS', type: 'integer', jsonPath: '.status.readyReplicas' },
  { name: 'DESIRED', type: 'integer', priority: 1, jsonPath: '.status.desiredReplicas' },
  { name: 'LAG', type: 'integer', priority: 1, jsonPath: '.status.lag' },
  {
    name: 'STATUS',
    type: 'string',
    jsonPath: `.status.conditions[?(@.type=='${HEALTH_CONDITION}')].reason`,
  },
  {
    name: 'MESSAGE',
    type: 'string',
    priority: 1,
    jsonPath: `.status.conditions[?(@.type=='${HEALTH_CONDITION}')].message`,
  },
];

function version() {
  return {
    name: API_VERSION_NAME,
    served: true,
    referenceable: true,
    additionalPrinterColumns: printerColumns,
    schema: { openAPIV3Schema: xrdOpenApiSchema() },
  };
}

/** Crossplane v2: a namespaced XR named EventDrivenService, so claims apply unchanged. */
export function xrdV2(): KubeObject {
  return {
    apiVersion: 'apiextensions.crossplane.io/v2',
    kind: 'CompositeResourceDefinition',
    metadata: { name: `${PLURAL}.${API_GROUP}` },
    spec: {
      scope: 'Namespaced',
      group: API_GROUP,
      names: { kind: KIND, plural: PLURAL, categories: ['crossplane'] },
      versions: [version()],
    },
  };
}

/** Crossplane v1 (or v2 LegacyCluster): cluster-scoped XR with a namespaced claim. */
export function xrdLegacy(): KubeObject {
  return {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'CompositeResourceDefinition',
    metadata: { name: `x${PLURAL}.${API_GROUP}` },
    spec: {
      group: API_GROUP,
      names: { kind: LEGACY_XR_KIND, plural: `x${PLURAL}`, categories: ['crossplane'] },
      claimNames: { kind: KIND, plural: PLURAL },
      versions: [version()],
    },
  };
}

export interface FunctionInput {
  readonly apiVersion: typeof INPUT_API_VERSION;
  readonly kind: typeof INPUT_KIND;
  readonly target: Target;
  readonly providerConfigName?: string;
}

export function composition(target: Target): KubeObject {
  const input: FunctionInput =
    target === 'v2'
      ? { apiVersion: INPUT_API_VERSION, kind: INPUT_KIND, target }
      : {
          apiVersion: INPUT_API_VERSION,
          kind: INPUT_KIND,
          target,
          providerConfigName: DEFAULT_PROVIDER_CONFIG,
        };
  return {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'Composition',
    metadata: {
      name: target === 'v2' ? 'eventdrivenservice' : 'xeventdrivenservice',
      labels: { 'platform.bizmatters.io/target': target },
    },
    spec: {
      compositeTypeRef: { apiVersion: API_VERSION, kind: target === 'v2' ? KIND : LEGACY_XR_KIND },
      mode: 'Pipeline',
      pipeline: [{ step: 'render', functionRef: { name: FUNCTION_NAME }, input }],
    },
  };
}

/**
 * What Crossplane's own role lacks for EventDrivenServices, aggregated into it by label: managing
 * KEDA ScaledObjects (a custom API group), PodDisruptionBudgets (`policy`, which Crossplane's
 * own role does not cover), the Prometheus Operator's ServiceMonitors (`monitoring.coreos.com`,
 * composed when a claim enables them) and NACK's Consumers (`jetstream.nats.io`, composed with
 * `spec.nats.managedConsumer`); v2 composes all four directly, and reading Pods and the
 * HorizontalPodAutoscaler KEDA creates, which the function asks Crossplane for (required
 * resources) to report why a service is not ready and what its autoscaler decided. Without a
 * read rule for a kind it asks for, Crossplane's informer for it never syncs and no claim composes.
 */
/** A rule that lets Crossplane compose and delete objects of one resource. */
const manage = (apiGroup: string, resource: string) => ({
  apiGroups: [apiGroup],
  resources: [resource],
  verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
});

export function crossplaneClusterRole(): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: 'crossplane:eds',
      labels: { 'rbac.crossplane.io/aggregate-to-crossplane': 'true' },
    },
    rules: [
      manage('keda.sh', 'scaledobjects'),
      manage('policy', 'poddisruptionbudgets'),
      manage('monitoring.coreos.com', 'servicemonitors'),
      manage('jetstream.nats.io', 'consumers'),
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      {
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers'],
        verbs: ['get', 'list', 'watch'],
      },
    ],
  };
}

/**
 * The CRD of the function's `Input`, shipped in the function package as Crossplane's function
 * templates do (`package/input/`). Crossplane never creates Inputs; the CRD documents and
 * validates the `input` of a Composition's pipeline step.
 */
export function functionInputCrd(): KubeObject {
  const [group, version] = INPUT_API_VERSION.split('/') as [string, string];
  const plural = `${INPUT_KIND.toLowerCase()}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: {
        categories: ['crossplane'],
        kind: INPUT_KIND,
        listKind: `${INPUT_KIND}List`,
        plural,
        singular: INPUT_KIND.toLowerCase(),
      },
      scope: 'Namespaced',
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: functionInputOpenApiSchema() },
        },
      ],
    },
  };
}
