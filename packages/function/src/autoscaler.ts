/**
 * What the HorizontalPodAutoscaler KEDA made for the service last decided, for the XR's status:
 * the replica count it wants and the lag it read. Pure: the HPA is what Crossplane fetched for us.
 * Every field is absent when the HPA does not say; nothing is estimated.
 */
import { parseQuantity } from '@eds/core';
import { get, list, num, str } from './object.js';

export interface Autoscaling {
  /** The HPA's `status.desiredReplicas`: what it computed at its last sync. */
  readonly desiredReplicas?: number;
  /** Messages pending plus ack-pending on the consumer, as KEDA reported them to that sync. */
  readonly lag?: number;
  /** The HPA's `status.lastScaleTime`: when it last changed the replica count. */
  readonly lastScaleTime?: string;
}

const wholeCount = (v: unknown): number | undefined => {
  const n = num(v);
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
};

/**
 * The lag from the HPA's one External metric (the ScaledObject has one trigger, so KEDA's HPA has
 * one metric). KEDA's nats-jetstream trigger sets no `metricType`, so KEDA targets an
 * `AverageValue` of `lagThreshold` (keda pkg/scalers/scaler.go, GetMetricTargetType): the HPA then
 * records the lag per replica, `ceil(milli-lag / replicas)` in milli-units (kubernetes
 * pkg/controller/podautoscaler, GetExternalPerPodMetricReplicas), over the replicas of the same
 * sync, which `status.currentReplicas` records. The total is that product rounded: the ceiling
 * adds under 1/1000 per replica. A `Value` target (a `metricType: Value` trigger) records the
 * total itself. With the service scaled to zero the HPA is idle and records no metric.
 */
function lagOf(hpa: unknown): number | undefined {
  const external = list(get(hpa, 'status', 'currentMetrics')).filter(
    (m) => get(m, 'type') === 'External',
  );
  if (external.length !== 1) return undefined;
  const current = get(external[0], 'external', 'current');
  const value = parseQuantity(get(current, 'value'));
  if (value !== undefined) return value >= 0 ? Math.round(value) : undefined;
  const perReplica = parseQuantity(get(current, 'averageValue'));
  const replicas = wholeCount(get(hpa, 'status', 'currentReplicas'));
  if (perReplica === undefined || perReplica < 0 || replicas === undefined || replicas === 0) {
    return undefined;
  }
  return Math.round(perReplica * replicas);
}

export function autoscalingOf(hpa: unknown): Autoscaling {
  if (hpa === undefined) return {};
  const desiredReplicas = wholeCount(get(hpa, 'status', 'desiredReplicas'));
  const lag = lagOf(hpa);
  const lastScaleTime = str(get(hpa, 'status', 'lastScaleTime'));
  return {
    ...(desiredReplicas === undefined ? {} : { desiredReplicas }),
    ...(lag === undefined ? {} : { lag }),
    ...(lastScaleTime === undefined ? {} : { lastScaleTime }),
  };
}
