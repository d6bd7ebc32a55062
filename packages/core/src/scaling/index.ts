/**
 * KEDA's and the HPA's scaling rules (keda.ts, hpa.ts), the settings they read (settings.ts), and
 * a simulator that feeds them a load profile (simulate.ts, plot.ts): `eds scale`, later `eds dev`
 * and `eds preflight`. Pure: no I/O, no clock.
 */
export {
  HPA_SYNC_PERIOD_SECONDS,
  HPA_TOLERANCE,
  hpaBehavior,
  hpaMinReplicas,
  scalingSettings,
  type ClaimScaling,
  type HpaBehavior,
  type ScalingPolicy,
  type ScalingRules,
  type ScalingSettings,
} from './settings.js';
export {
  KEDA_INITIAL_STATE,
  isActive,
  isKedaPoll,
  kedaPoll,
  type KedaAction,
  type KedaDecision,
  type KedaState,
  type Reading,
} from './keda.js';
export {
  HPA_INITIAL_STATE,
  changeInPeriod,
  externalPerPodReplicas,
  hpaSync,
  isHpaSync,
  scaleDownLimit,
  scaleUpLimit,
  stabilize,
  type HpaDecision,
  type HpaLimit,
  type HpaState,
  type MetricReplicas,
  type Recommendation,
  type ScaleEvent,
} from './hpa.js';
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_STARTUP_SECONDS,
  MAX_SIMULATED_SECONDS,
  ProfileError,
  simulate,
  type LoadProfile,
  type ResolvedProfile,
  type Simulation,
  type SimulationSummary,
  type TimelinePoint,
} from './simulate.js';
export { simulationSvg } from './plot.js';
export {
  AUTOSCALER_INITIAL_STATE,
  autoscalerStep,
  isScalingSecond,
  keepAfterScaleIn,
  type AutoscalerState,
  type ScaleInCandidate,
  type ScalingEvent,
} from './step.js';
