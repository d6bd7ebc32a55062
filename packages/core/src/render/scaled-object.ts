import { SCALER_SUFFIX } from '../api/rules.js';
import { objectMeta } from './labels.js';
import type { KubeObject, RenderContext } from './types.js';

/**
 * KEDA ScaledObject on the consumer's lag. Trigger metadata values are strings: KEDA rejects
 * numbers. The Deployment carries no replica count, so this is its only owner.
 */
export function renderScaledObject(ctx: RenderContext): KubeObject {
  const { nats, scaling } = ctx.spec;
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: objectMeta(`${ctx.service.name}${SCALER_SUFFIX}`, ctx.service, ctx.labels),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: ctx.service.name },
      minReplicaCount: scaling.minReplicas,
      maxReplicaCount: scaling.maxReplicas,
      triggers: [
        {
          type: 'nats-jetstream',
          metadata: {
            natsServerMonitoringEndpoint: nats.monitoringEndpoint,
            account: nats.account,
            stream: nats.stream,
            consumer: nats.consumer,
            lagThreshold: String(scaling.lagThreshold),
          },
        },
      ],
    },
  };
}
