export {
  API_GROUP,
  API_VERSION,
  API_VERSION_NAME,
  ClaimSchema,
  DEFAULTS,
  KIND,
  LEGACY_XR_KIND,
  RESERVED_ENV,
  SECRET_SLOTS,
  SIZES,
  SpecSchema,
  type ClaimInput,
  type SecretRef,
  type SecretSlot,
  type Size,
  type SpecInput,
} from './api/schema.js';
export { resolveSpec } from './api/defaults.js';
export { formatPath, type Issue, type IssueCode, type Segment } from './api/issues.js';
export { claimJsonSchema, SCHEMA_ID } from './api/json-schema.js';
export { MAX_NAME_LENGTH, SCALER_SUFFIX } from './api/rules.js';
export type { Claim, ResolvedSecretRef, ServiceIdentity, Spec } from './api/types.js';
export { validateClaim, type Validation } from './api/validate.js';
export { parseImage, pullPolicy, type ImageRef } from './render/image.js';
export { COMPONENT, NAME_LABEL } from './render/labels.js';
export { render } from './render/render.js';
export { SIZE_PRESETS, type Resources } from './render/sizes.js';
export { RESOURCE_KEYS, type KubeObject, type Rendered, type ResourceKey } from './render/types.js';
export {
  DEFAULT_PROVIDER_CONFIG,
  DEPLOYMENT_READY_CEL,
  forTarget,
  OBJECT_API_VERSION,
  TARGETS,
  wrapInObject,
  type Target,
  type TargetOptions,
} from './crossplane/targets.js';
export { generatedFiles, type GeneratedFiles } from './generate/files.js';
export {
  parseYamlDocuments,
  type LocatedIssue,
  type Position,
  type SourceDocument,
} from './source/yaml.js';
export { toYamlStream } from './render/yaml.js';
export * from './migrate/index.js';
