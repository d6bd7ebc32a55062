export { runFunction, AUTOSCALER_REQUIREMENT, PODS_REQUIREMENT, TTL } from './run.js';
export { encodeResponse } from './wire.js';
export { decodeInput, type FunctionOptions } from './input.js';
export {
  identify,
  viewComposite,
  type CompositeView,
  type Identified,
  type Identity,
} from './composite.js';
export { assess, type Assessment, type Health } from './status.js';
export { podCause, type PodCause } from './pods.js';
export {
  consumerVerdict,
  deploymentVerdict,
  scaledObjectVerdict,
  type Verdict,
  type Replicas,
} from './readiness.js';
export {
  startFunctionServer,
  ServeError,
  type FunctionServer,
  type ServeOptions,
} from './server.js';
