/**
 * What the autoscalers are told: the claim's resolved scaling settings, and the HPA behavior our
 * ScaledObject gives KEDA's HorizontalPodAutoscaler (render/scaled-object.ts) with the fields the
 * API server defaults. Pure data; the rules are in keda.ts and hpa.ts.
 */
import type { Spec } from '../api/types.js';

/** The claim's `spec.scaling`, as `validateClaim` resolves it. */
export type ClaimScaling = Spec['scaling'];

/** The settings both autoscalers read, every default applied. */
export interface ScalingSettings {
  /** ScaledObject `minReplicaCount`. 0 lets KEDA scale to zero. */
  readonly minReplicas: number;
  /** ScaledObject `maxReplicaCount`, the HPA's `maxReplicas`. */
  readonly maxReplicas: number;
  /** The trigger's `lagThreshold`: the HPA's `AverageValue` target, messages per replica. */
  readonly lagThreshold: number;
  /** Seconds between KEDA's polls of the lag (ScaledObject `pollingInterval`). */
  readonly pollingInterval: number;
  /** KEDA's `cooldownPeriod`, and the HPA's scale-down stabilization window (render/scaled-object.ts). */
  readonly cooldownPeriod: number;
  /**
   * The trigger is active while the lag is above this. KEDA's default is 0.
   * @see https://github.com/kedacore/keda/blob/v2.20.2/pkg/scalers/nats_jetstream_scaler.go (ActivationLagThreshold, GetMetricsAndActivity)
   */
  readonly activationLagThreshold: number;
}

/** The claim's settings with KEDA's default for an unset `activationLagThreshold` (0). */
export function scalingSettings(scaling: ClaimScaling): ScalingSettings {
  return {
    minReplicas: scaling.minReplicas,
    maxReplicas: scaling.maxReplicas,
    lagThreshold: scaling.lagThreshold,
    pollingInterval: scaling.pollingInterval,
    cooldownPeriod: scaling.cooldownPeriod,
    activationLagThreshold: scaling.activationLagThreshold ?? 0,
  };
}

/**
 * Seconds between the HPA controller's syncs: kube-controller-manager's
 * `--horizontal-pod-autoscaler-sync-period`, default 15 s.
 * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
 */
export const HPA_SYNC_PERIOD_SECONDS = 15;

/**
 * The HPA's tolerance on the usage ratio, both ways: kube-controller-manager's
 * `--horizontal-pod-autoscaler-tolerance`, default 0.1. Our HPA sets no per-HPA `tolerance`
 * (the `HPAConfigurableTolerance` fields), so the cluster-wide value applies.
 * @see kubernetes v1.35.5 pkg/controller/podautoscaler/replica_calculator.go (Tolerances.isWithin)
 */
export const HPA_TOLERANCE = 0.1;

/**
 * The HPA's `minReplicas` as KEDA writes it: `minReplicaCount` when above 0, else 1. Below that
 * only KEDA scales (to and from zero).
 * @see https://github.com/kedacore/keda/blob/v2.20.2/apis/keda/v1alpha1/scaledobject_types.go (GetHPAMinReplicas)
 */
export function hpaMinReplicas(settings: ScalingSettings): number {
  return settings.minReplicas > 0 ? settings.minReplicas : 1;
}

/** One `behavior.scaleUp.policies[]` / `scaleDown.policies[]` entry. */
export interface ScalingPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

/** `behavior.scaleUp` or `behavior.scaleDown`, every field set. */
export interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly ScalingPolicy[];
}

export interface HpaBehavior {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

/**
 * The behavior of the HPA KEDA creates for our ScaledObject. render/scaled-object.ts sets only
 * `scaleDown.stabilizationWindowSeconds` (from `cooldownPeriod`); KEDA copies the behavior into
 * the HPA and the API server fills in the rest with its defaults: scale-up without stabilization,
 * at most +4 pods or +100 % per 15 s (whichever is more), scale-down at most 100 % per 15 s, both
 * `selectPolicy: Max`.
 * @see k8s.io/api v0.35.5 autoscaling/v2/types.go (HPAScalingRules: stabilizationWindowSeconds, policies)
 * @see kubernetes v1.35.5 pkg/apis/autoscaling/v2/defaults.go (GenerateHPAScaleUpRules, GenerateHPAScaleDownRules)
 */
export function hpaBehavior(settings: ScalingSettings): HpaBehavior {
  return {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    },
    scaleDown: {
      stabilizationWindowSeconds: settings.cooldownPeriod,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    },
  };
}
