/**
 * The API's names, presets and defaults. Kept apart from the TypeBox definitions so that
 * validation and rendering do not load the schema builder at run time.
 */
export const API_GROUP = 'platform.bizmatters.io';
export const API_VERSION_NAME = 'v1alpha1';
export const API_VERSION = `${API_GROUP}/${API_VERSION_NAME}`;
export const KIND = 'EventDrivenService';
export const LEGACY_XR_KIND = 'XEventDrivenService';

/**
 * The condition type the function writes its diagnosis to, on the composite and the claim.
 * Not `Healthy`: Crossplane drops every function condition whose type is one of its own
 * (`Ready`, `Synced`, `Healthy`, `UpToDate`, `Responsive`; crossplane
 * `apiextensions/v1.IsSystemConditionType`), so a diagnosis under such a type never reaches
 * the object. Readiness stays Crossplane's `Ready`.
 */
export const HEALTH_CONDITION = 'ServiceHealthy';

export const SIZES = ['small', 'medium', 'large'] as const;
export type Size = (typeof SIZES)[number];

export const DEFAULTS = {
  size: 'medium',
  natsUrl: 'nats://nats.nats.svc:4222',
  natsAccount: '$G',
  natsMonitoringEndpoint: 'nats-headless.nats.svc.cluster.local:8222',
  /**
   * The first worker pod creates the durable consumer unless the claim asks the platform to
   * (a NACK Consumer, render/consumer.ts): that needs NACK's controller, which not every cluster
   * has. Scale to zero needs it on. ADR 9.
   */
  managedConsumer: false,
  minReplicas: 1,
  maxReplicas: 10,
  lagThreshold: 5,
  /**
   * Seconds between KEDA's checks of the lag (ScaledObject `spec.pollingInterval`). The original
   * design's value; KEDA's own default is 30.
   * @see https://keda.sh/docs/latest/reference/scaledobject-spec/#pollinginterval
   */
  pollingInterval: 5,
  /**
   * Seconds pods stay after the queue drains: KEDA's `cooldownPeriod` and the HPA's
   * `behavior.scaleDown.stabilizationWindowSeconds`, whose own defaults are both 300.
   * @see https://keda.sh/docs/latest/reference/scaledobject-spec/#cooldownperiod
   * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#stabilization-window
   */
  cooldownPeriod: 300,
  terminationGracePeriodSeconds: 30,
  /**
   * A PodDisruptionBudget with `maxUnavailable: 1` and `unhealthyPodEvictionPolicy: AlwaysAllow`
   * (render/pod-disruption-budget.ts): a drain evicts one pod at a time, never blocks on a single
   * replica or a crash-looping pod. ADR 8.
   */
  podDisruptionBudget: true,
  /**
   * Topology spread of the pods across zones and nodes, `ScheduleAnyway` (render/deployment.ts):
   * a preference the scheduler scores, never a reason to leave a pod pending. ADR 8.
   */
  topologySpread: true,
  /**
   * No ServiceMonitor unless the claim asks for one (render/service-monitor.ts): it needs the
   * Prometheus Operator's CRD, which not every cluster has. ADR 10.
   */
  serviceMonitor: false,
} as const satisfies Record<string, string | number | boolean>;

export const SECRET_SLOTS = [
  'secret1Name',
  'secret2Name',
  'secret3Name',
  'secret4Name',
  'secret5Name',
] as const;
export type SecretSlot = (typeof SECRET_SLOTS)[number];

/**
 * The worker's shutdown deadline (`@eds/worker` setting `shutdownTimeoutMs`), which the platform
 * derives from `spec.terminationGracePeriodSeconds` (see `shutdownTimeoutMs` in
 * render/deployment.ts).
 */
export const SHUTDOWN_TIMEOUT_ENV = 'EDS_SHUTDOWN_TIMEOUT_MS';

/** Environment variables the platform sets itself; secrets may not shadow them. */
export const RESERVED_ENV = [
  'NATS_URL',
  'NATS_STREAM_NAME',
  'NATS_CONSUMER_GROUP',
  SHUTDOWN_TIMEOUT_ENV,
] as const;
export type ReservedEnv = (typeof RESERVED_ENV)[number];

/** The claim field each reserved variable is set from, for messages. */
export const RESERVED_ENV_SOURCE: Readonly<Record<ReservedEnv, string>> = {
  NATS_URL: 'spec.nats',
  NATS_STREAM_NAME: 'spec.nats',
  NATS_CONSUMER_GROUP: 'spec.nats',
  [SHUTDOWN_TIMEOUT_ENV]: 'spec.terminationGracePeriodSeconds',
};
