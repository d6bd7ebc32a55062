/**
 * The EventDrivenService API, defined once. Types, defaults, the published JSON Schema, the
 * XRD schema and the reference docs all derive from these definitions.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import * as rules from './rules.js';
import { API_VERSION, DEFAULTS, KIND, SIZES, type Size } from './constants.js';
import {
  DEFAULT_PROVIDER_CONFIG,
  DEFAULT_TARGET,
  INPUT_API_VERSION,
  INPUT_KIND,
  TARGETS,
  type Target,
} from '../crossplane/targets.js';

export * from './constants.js';

const str = (r: rules.StringRule, description: string, extra: object = {}) =>
  Type.String({ pattern: r.pattern, minLength: 1, maxLength: r.maxLength, description, ...extra });

const strict = { additionalProperties: false } as const;

const secretSlot = (n: number) =>
  Type.Optional(
    str(
      rules.secretName,
      `Name of a Secret in the service's namespace mounted with envFrom (slot ${n} of 5): every key becomes an environment variable of the main and init containers.`,
    ),
  );

export const SecretKeyMappingSchema = Type.Object(
  {
    secretKey: str(rules.secretKey, 'Key in the Secret, e.g. "endpoint".'),
    envName: str(
      rules.envName,
      'Environment variable that receives the key\'s value, e.g. "POSTGRES_HOST".',
    ),
  },
  {
    ...strict,
    title: 'Secret key mapping',
    description: 'Maps one Secret key to one environment variable.',
  },
);

export const SecretRefSchema = Type.Object(
  {
    name: str(rules.secretName, "Name of the Secret in the service's namespace."),
    envFrom: Type.Optional(
      Type.Boolean({
        description: 'Mount every key of the Secret as an environment variable (envFrom).',
      }),
    ),
    env: Type.Optional(
      Type.Array(SecretKeyMappingSchema, {
        description:
          'Map individual keys to environment variables (secretKeyRef), for Secrets whose keys are not environment variable names, such as Crossplane connection secrets.',
      }),
    ),
  },
  {
    ...strict,
    title: 'Secret reference',
    description:
      'A Secret to expose to the containers, in bulk (envFrom: true), key by key (env), or both.',
  },
);

export const NatsSchema = Type.Object(
  {
    url: Type.Optional(
      str(rules.natsUrl, 'NATS server URL given to the worker as NATS_URL.', {
        default: DEFAULTS.natsUrl,
      }),
    ),
    stream: str(
      rules.natsName,
      'JetStream stream the service consumes, e.g. "AGENT_EXECUTION". It must exist before the service starts.',
    ),
    consumer: str(
      rules.natsName,
      'Durable consumer shared by all replicas, e.g. "agent-executor-workers". KEDA reads its lag.',
    ),
    account: Type.Optional(
      str(
        rules.natsAccount,
        // No `default` keyword here: editors insert defaults as snippets, where "$G" would
        // become the variable G. The default still applies (see DEFAULTS.natsAccount).
        `NATS account that holds the stream, as KEDA queries it. Default "${DEFAULTS.natsAccount}", the account JetStream uses when the server has no accounts configured.`,
      ),
    ),
    monitoringEndpoint: Type.Optional(
      str(
        rules.hostPort,
        'host:port of the NATS monitoring endpoint KEDA polls. The headless service exposes port 8222; the client service does not.',
        { default: DEFAULTS.natsMonitoringEndpoint },
      ),
    ),
    managedConsumer: Type.Optional(
      Type.Boolean({
        default: DEFAULTS.managedConsumer,
        description:
          "Whether the platform creates the durable consumer before any pod runs, as a NACK Consumer (jetstream.nats.io/v1beta2, needs NACK's JetStream controller), with the settings the worker expects. Off: the first worker pod creates it. Needed for scaling.minReplicas: 0, since KEDA reads the lag of a consumer that exists.",
      }),
    ),
  },
  { ...strict, title: 'NATS', description: 'NATS JetStream settings.' },
);

export const ScalingSchema = Type.Object(
  {
    minReplicas: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1000,
        default: DEFAULTS.minReplicas,
        description: 'Fewest replicas KEDA keeps. 0 lets KEDA scale the service to zero when idle.',
      }),
    ),
    maxReplicas: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        default: DEFAULTS.maxReplicas,
        description: 'Most replicas KEDA scales to.',
      }),
    ),
    lagThreshold: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000000,
        default: DEFAULTS.lagThreshold,
        description:
          'Pending messages per replica: KEDA aims for ceil(lag / lagThreshold) replicas.',
      }),
    ),
    pollingInterval: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3600,
        default: DEFAULTS.pollingInterval,
        description:
          "Seconds between KEDA's checks of the consumer's lag (the ScaledObject's pollingInterval): how soon a service at zero replicas wakes up; once it runs, the HPA also reads the lag, every 15 s by default. KEDA's own default is 30.",
      }),
    ),
    cooldownPeriod: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 86400,
        default: DEFAULTS.cooldownPeriod,
        description:
          "Seconds replicas stay after the lag drops before they are removed; 30 suits tests, 120-300 production. Sets both the ScaledObject's spec.cooldownPeriod (KEDA's, which times only the last step, to zero, with minReplicas 0) and its spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds (the HPA's, which times every step down to one replica).",
      }),
    ),
    activationLagThreshold: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1000000,
        description:
          'Pending messages a service at zero replicas tolerates: KEDA wakes it once the lag exceeds this (trigger metadata activationLagThreshold). Takes effect only with minReplicas 0. Unset, KEDA uses 0: the first message wakes it.',
      }),
    ),
  },
  { ...strict, title: 'Scaling', description: 'Autoscaling bounds and timings for KEDA.' },
);

export const AvailabilitySchema = Type.Object(
  {
    podDisruptionBudget: Type.Optional(
      Type.Boolean({
        default: DEFAULTS.podDisruptionBudget,
        description:
          'Compose a PodDisruptionBudget (policy/v1) for the pods, named after the service: maxUnavailable 1, so a node drain evicts one pod at a time and never blocks on a service with a single replica, and unhealthyPodEvictionPolicy AlwaysAllow, so a pod that is not ready never blocks a drain. false: no PodDisruptionBudget (e.g. to keep one of your own: two budgets over the same pods make every eviction fail).',
      }),
    ),
    topologySpread: Type.Optional(
      Type.Boolean({
        default: DEFAULTS.topologySpread,
        description:
          "Spread the pods across zones (topology.kubernetes.io/zone) and nodes (kubernetes.io/hostname), at most one pod apart (maxSkew 1), counting each rollout's pods apart (matchLabelKeys pod-template-hash). ScheduleAnyway: a preference, never a reason to leave a pod pending. false: no topologySpreadConstraints on the pods.",
      }),
    ),
  },
  {
    ...strict,
    title: 'Availability',
    description:
      'How the service stays up through node drains and failures. Both are on by default; each adds to what is rendered.',
  },
);

/** A map of strings as OpenAPI writes one, which an XRD accepts (see podAnnotations). */
const stringMap = (description: string) =>
  Type.Unsafe<Record<string, string>>({
    type: 'object',
    additionalProperties: { type: 'string' },
    description,
  });

export const ServiceMonitorSchema = Type.Object(
  {
    enabled: Type.Optional(
      Type.Boolean({
        default: DEFAULTS.serviceMonitor,
        description:
          "Compose a ServiceMonitor (monitoring.coreos.com/v1) named after the service, so that a Prometheus run by the Prometheus Operator scrapes the worker's /metrics on the Service's http port. Needs the Prometheus Operator's CRDs in the cluster.",
      }),
    ),
    interval: Type.Optional(
      str(
        rules.prometheusDuration,
        'How often Prometheus scrapes the pods, a Prometheus duration such as "30s" or "1m". Unset: the Prometheus\'s own scrapeInterval (30s unless it sets another).',
      ),
    ),
    labels: Type.Optional(
      stringMap(
        'Labels for the ServiceMonitor besides the platform\'s own, so that a Prometheus whose serviceMonitorSelector selects them finds it, e.g. {"release": "kube-prometheus-stack"}. Keys and values follow the Kubernetes label rules; the platform\'s keys (app.kubernetes.io/name, component, managed-by, version) are refused.',
      ),
    ),
  },
  {
    ...strict,
    title: 'ServiceMonitor',
    description:
      "A Prometheus Operator ServiceMonitor for the worker's metrics. Off unless enabled is true.",
  },
);

export const MetricsSchema = Type.Object(
  { serviceMonitor: Type.Optional(ServiceMonitorSchema) },
  {
    ...strict,
    title: 'Metrics',
    description: "How the platform makes the worker's /metrics scrapeable. Nothing by default.",
  },
);

export const InitContainerSchema = Type.Object(
  {
    command: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: 'Entrypoint of the init container, e.g. ["/bin/bash", "-c"].',
      }),
    ),
    args: Type.Optional(
      Type.Array(Type.String(), {
        minItems: 1,
        description: 'Arguments of the init container, e.g. ["./scripts/run-migrations.sh"].',
      }),
    ),
  },
  {
    ...strict,
    minProperties: 1,
    title: 'Init container',
    description:
      'A container that runs to completion before the service starts, e.g. database migrations. It uses the service image and the same secrets.',
  },
);

export const SpecSchema = Type.Object(
  {
    image: str(
      rules.image,
      'Container image: "registry/repository:tag" or "registry/repository@sha256:digest". Untagged and ":latest" images are pulled on every start.',
    ),
    size: Type.Optional(
      Type.Unsafe<Size>({
        type: 'string',
        enum: [...SIZES],
        default: DEFAULTS.size,
        description:
          'Resource preset. small: 250m/1 CPU, 512Mi/2Gi memory; medium: 500m/2 CPU, 1Gi/4Gi; large: 1/4 CPU, 2Gi/8Gi (requests/limits).',
      }),
    ),
    nats: NatsSchema,
    secret1Name: secretSlot(1),
    secret2Name: secretSlot(2),
    secret3Name: secretSlot(3),
    secret4Name: secretSlot(4),
    secret5Name: secretSlot(5),
    secretRefs: Type.Optional(
      Type.Array(SecretRefSchema, {
        description:
          'Secrets with per-key mappings or bulk mounting; use these when the five slots are not enough or keys need renaming.',
      }),
    ),
    imagePullSecrets: Type.Optional(
      Type.Array(
        Type.Object(
          { name: str(rules.secretName, 'Name of a docker-registry Secret.') },
          { ...strict, title: 'Image pull secret' },
        ),
        { description: 'Secrets used to pull the image from a private registry.' },
      ),
    ),
    initContainer: Type.Optional(InitContainerSchema),
    scaling: Type.Optional(ScalingSchema),
    terminationGracePeriodSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3600,
        default: DEFAULTS.terminationGracePeriodSeconds,
        description:
          'Seconds a replica may take to drain its in-flight messages when KEDA scales in or the pod is replaced.',
      }),
    ),
    podAnnotations: Type.Optional(
      // A map of strings as OpenAPI writes one (`additionalProperties`), which an XRD accepts;
      // TypeBox's Record would emit `patternProperties`, which a structural schema forbids.
      stringMap(
        'Annotations for every pod of the service (the Deployment\'s spec.template.metadata.annotations), e.g. {"sidecar.istio.io/inject": "true"} for service-mesh injection or {"prometheus.io/scrape": "true"}. Keys are Kubernetes annotation keys; values are strings (quote "true" and numbers). Changing them rolls the pods.',
      ),
    ),
    availability: Type.Optional(AvailabilitySchema),
    metrics: Type.Optional(MetricsSchema),
  },
  {
    ...strict,
    title: 'EventDrivenService spec',
    description: 'Desired state of an EventDrivenService.',
  },
);

export const MetadataSchema = Type.Object(
  {
    name: str(
      rules.serviceName,
      `Name of the service; also names its Deployment, Service, ServiceAccount and PodDisruptionBudget, and "<name>${rules.SCALER_SUFFIX}" its ScaledObject.`,
    ),
    namespace: Type.Optional(str(rules.namespaceName, 'Namespace the service runs in.')),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { title: 'Metadata', description: 'Standard object metadata.' },
);

export const ClaimSchema = Type.Object(
  {
    apiVersion: Type.Literal(API_VERSION),
    kind: Type.Literal(KIND),
    metadata: MetadataSchema,
    spec: SpecSchema,
  },
  {
    title: 'EventDrivenService',
    description:
      'A NATS JetStream worker deployed with a hardened Deployment, a Service, a ServiceAccount, a KEDA ScaledObject and a PodDisruptionBudget.',
  },
);

/**
 * The composition function's input, set per Composition pipeline step: which target to
 * compose for. Validated by the function with the same machinery and messages as a claim.
 */
export const FunctionInputSchema = Type.Object(
  {
    apiVersion: Type.Optional(Type.Literal(INPUT_API_VERSION)),
    kind: Type.Optional(Type.Literal(INPUT_KIND)),
    target: Type.Optional(
      Type.Unsafe<Target>({
        type: 'string',
        enum: [...TARGETS],
        default: DEFAULT_TARGET,
        description:
          'v2: a Crossplane v2 namespaced XR composing the objects directly. legacy: a Crossplane v1 claim and XR composing provider-kubernetes Objects.',
      }),
    ),
    providerConfigName: Type.Optional(
      str(rules.objectName, 'provider-kubernetes ProviderConfig of the legacy Objects.', {
        default: DEFAULT_PROVIDER_CONFIG,
      }),
    ),
  },
  { ...strict, title: 'Function input', description: "The function's per-Composition settings." },
);

/** The spec as written by a user: optional fields may be absent. */
export type SpecInput = Static<typeof SpecSchema>;
export type ClaimInput = Static<typeof ClaimSchema>;
export type FunctionInputDocument = Static<typeof FunctionInputSchema>;
export type SecretRef = Static<typeof SecretRefSchema>;
export type SecretKeyMapping = Static<typeof SecretKeyMappingSchema>;

export type AnySchema = TSchema;
