import type { ServiceIdentity, Spec } from '../api/types.js';
import { renderConsumer } from './consumer.js';
import { renderDeployment } from './deployment.js';
import { renderPodDisruptionBudget } from './pod-disruption-budget.js';
import { parseImage } from './image.js';
import { standardLabels } from './labels.js';
import { renderScaledObject } from './scaled-object.js';
import { renderService } from './service.js';
import { renderServiceAccount } from './service-account.js';
import { renderServiceMonitor } from './service-monitor.js';
import type { RenderContext, Rendered } from './types.js';

/**
 * The Kubernetes objects the platform creates for a service, in apply order. Pure: the same
 * input always gives equal output, and nothing is read from the environment. The
 * PodDisruptionBudget comes last and only when `spec.availability.podDisruptionBudget` is on, so
 * a claim that turns it off renders exactly the four objects it always did. The ServiceMonitor
 * follows, only when `spec.metrics.serviceMonitor.enabled` is true, so that a claim without it
 * renders exactly what it did before the field existed. The NACK Consumer comes last, only with
 * `spec.nats.managedConsumer`.
 */
export function render(service: ServiceIdentity, spec: Spec): Rendered[] {
  const image = parseImage(spec.image);
  const ctx: RenderContext = { service, spec, image, labels: standardLabels(service, image) };
  // Cloned so that callers may change what they get without touching shared constants.
  return structuredClone([
    { key: 'serviceaccount', object: renderServiceAccount(ctx) },
    { key: 'deployment', object: renderDeployment(ctx) },
    { key: 'service', object: renderService(ctx) },
    { key: 'scaledobject', object: renderScaledObject(ctx) },
    ...(spec.availability.podDisruptionBudget
      ? [{ key: 'poddisruptionbudget' as const, object: renderPodDisruptionBudget(ctx) }]
      : []),
    ...(spec.metrics.serviceMonitor.enabled
      ? [{ key: 'servicemonitor' as const, object: renderServiceMonitor(ctx) }]
      : []),
    ...(spec.nats.managedConsumer
      ? [{ key: 'consumer' as const, object: renderConsumer(ctx) }]
      : []),
  ]);
}
