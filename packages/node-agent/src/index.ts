// The node agent's pure parts, exported for tests and reuse; the agent itself runs from bin/.
export { expand } from './expand.js';
export { resolveEnv, type EnvResult } from './env.js';
export type { ObjectData, Objects } from './objects.js';
export type { Container, Pod } from './kube-types.js';
export { fieldRefValue, resourceFieldValue, type Placement } from './fields.js';
export { containerArgv } from './command.js';
export { containerMounts, rewritePath, type Mount } from './mounts.js';
export {
  FIRST_PORT,
  formatImageMapProblems,
  lookupImage,
  parseImageMap,
  repository,
  type ImageEntry,
  type ImageMap,
  type ImageMapProblem,
} from './image-map.js';
export { podPhase } from './phase.js';
export { podConditions, podStatus, timestamp } from './status.js';
export { planVolumes } from './volumes.js';
