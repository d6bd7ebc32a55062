/**
 * Validation, rendering and everything the CLI and the function need at run time. The schema
 * builder and the generators live in `@eds/core/definition`, loaded only by the commands that
 * need them (`eds schema`, `eds generate`).
 */
export {
  API_GROUP,
  API_VERSION,
  API_VERSION_NAME,
  DEFAULTS,
  HEALTH_CONDITION,
  KIND,
  LEGACY_XR_KIND,
  RESERVED_ENV,
  SECRET_SLOTS,
  SIZES,
  type SecretSlot,
  type Size,
} from './api/constants.js';
export type { ClaimInput, SecretKeyMapping, SecretRef, SpecInput } from './api/schema.js';
export { resolveSpec } from './api/defaults.js';
export {
  formatIssue,
  formatIssues,
  formatPath,
  type Issue,
  type IssueCode,
  type Segment,
} from './api/issues.js';
export {
  validateFunctionInput,
  type FunctionOptions,
  type InputValidation,
} from './api/function-input.js';
export { MAX_NAME_LENGTH, SCALER_SUFFIX } from './api/rules.js';
export type { Claim, ResolvedSecretRef, ServiceIdentity, Spec } from './api/types.js';
export { validateClaim, type Validation } from './api/validate.js';
export { parseImage, pullPolicy, type ImageRef } from './render/image.js';
export { COMPONENT, NAME_LABEL, platformLabels } from './render/labels.js';
export { render } from './render/render.js';
export { autoscalerName } from './render/scaled-object.js';
export { SIZE_PRESETS, type Resources } from './render/sizes.js';
export { RESOURCE_KEYS, type KubeObject, type Rendered, type ResourceKey } from './render/types.js';
export {
  DEFAULT_PROVIDER_CONFIG,
  DEFAULT_TARGET,
  CONSUMER_READY_CEL,
  DEPLOYMENT_READY_CEL,
  INPUT_API_VERSION,
  INPUT_KIND,
  forTarget,
  OBJECT_API_VERSION,
  TARGETS,
  wrapInObject,
  type Target,
  type TargetOptions,
} from './crossplane/targets.js';
export {
  DEPLOYMENT_ROLLOUT,
  deploymentCounts,
  deploymentRollout,
  type DeploymentCounts,
  type Rollout,
  type RolloutCheckId,
} from './status/rollout.js';
export { FUNCTION_NODE_FLAGS } from './crossplane/packages.js';
export {
  parseYamlDocuments,
  type LocatedIssue,
  type Position,
  type SourceDocument,
} from './source/yaml.js';
export { toYamlStream } from './render/yaml.js';
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_STARTUP_SECONDS,
  HPA_SYNC_PERIOD_SECONDS,
  MAX_SIMULATED_SECONDS,
  AUTOSCALER_INITIAL_STATE,
  ProfileError,
  autoscalerStep,
  hpaBehavior,
  isScalingSecond,
  keepAfterScaleIn,
  scalingSettings,
  simulate,
  simulationSvg,
  type AutoscalerState,
  type LoadProfile,
  type ScalingEvent,
  type ScalingSettings,
  type Simulation,
  type SimulationSummary,
  type TimelinePoint,
} from './scaling/index.js';
export * from './migrate/index.js';
export {
  consumerLag,
  natsFindings,
  type ConsumerLag,
  type Finding,
  type Monitoring,
  type Severity,
} from './preflight/nats.js';
export { jetStreamFindings, type JetStreamAnswers } from './preflight/jetstream.js';
export {
  CLUSTER_CRDS,
  clusterFindings,
  EXTERNAL_METRICS_API,
  functionNames,
  XRD_NAMES,
  type ClusterAnswers,
  type Read,
} from './preflight/cluster.js';
export { parseYamlValuesFast } from './source/fast.js';
export { actsOnReader, UNSAFE_AFTER_QUOTING, UNSAFE_CHARS } from './source/inert.js';
export { YAML_LIMITS, YamlLimitError, type YamlLimit } from './source/limits.js';
export {
  KUBELET_BACKOFF,
  goDuration,
  nextBackoff,
  restartAt,
  retryPullAt,
  scaleBackoff,
  type BackoffEntry,
  type BackoffPolicy,
} from './kubelet/backoff.js';
export {
  PROBE_DEFAULTS,
  initialProbeState,
  nextProbeAt,
  probeTiming,
  recordProbe,
  type Probe,
  type ProbeKind,
  type ProbeState,
  type ProbeTiming,
} from './kubelet/probe.js';
