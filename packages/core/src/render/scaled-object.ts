import { SCALER_SUFFIX } from '../api/rules.js';
import { objectMeta } from './labels.js';
import type { KubeObject, RenderContext } from './types.js';

/**
 * The HorizontalPodAutoscaler KEDA creates for a service's ScaledObject: `keda-hpa-<ScaledObject
 * name>`, KEDA's name when `spec.advanced.horizontalPodAutoscalerConfig.name` is unset (the
 * platform never sets it). The function reads it for the desired replica count and the lag.
 * @see https://github.com/kedacore/keda/blob/v2.20.2/controllers/keda/hpa.go (getHPAName)
 */
export const autoscalerName = (service: string): string => `keda-hpa-${service}${SCALER_SUFFIX}`;

/**
 * KEDA ScaledObject on the consumer's lag. Trigger metadata values are strings: KEDA rejects
 * numbers. The Deployment carries no replica count, so this is its only owner.
 *
 * `spec.scaling.cooldownPeriod` sets two fields: KEDA's `cooldownPeriod` governs only the last
 * step, to zero, and the HPA's scale-down stabilization window every step down to one replica.
 * Only `stabilizationWindowSeconds` is set under `scaleDown`: the API server defaults the
 * policies (100 % per 15 s) and KEDA copies the behavior into the HPA it creates.
 * @see https://keda.sh/docs/latest/reference/scaledobject-spec/#horizontalpodautoscalerconfig
 */
export function renderScaledObject(ctx: RenderContext): KubeObject {
  const { nats, scaling } = ctx.spec;
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: objectMeta(`${ctx.service.name}${SCALER_SUFFIX}`, ctx.service, ctx.labels),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: ctx.service.name },
      pollingInterval: scaling.pollingInterval,
      cooldownPeriod: scaling.cooldownPeriod,
      minReplicaCount: scaling.minReplicas,
      maxReplicaCount: scaling.maxReplicas,
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: { scaleDown: { stabilizationWindowSeconds: scaling.cooldownPeriod } },
        },
      },
      triggers: [
        {
          type: 'nats-jetstream',
          metadata: {
            natsServerMonitoringEndpoint: nats.monitoringEndpoint,
            account: nats.account,
            stream: nats.stream,
            consumer: nats.consumer,
            lagThreshold: String(scaling.lagThreshold),
            ...(scaling.activationLagThreshold === undefined
              ? {}
              : { activationLagThreshold: String(scaling.activationLagThreshold) }),
          },
        },
      ],
    },
  };
}
