/**
 * The service's ServiceMonitor (Prometheus Operator, `monitoring.coreos.com/v1`): tells every
 * Prometheus whose `serviceMonitorSelector` matches its labels to scrape the worker's /metrics
 * through the Service. Composed only when `spec.metrics.serviceMonitor.enabled` is true (ADR 10).
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor
 */
import { HTTP_PORT_NAME } from './deployment.js';
import { COMPONENT_LABEL, NAME_LABEL, objectMeta, sortedByKey } from './labels.js';
import type { KubeObject, RenderContext } from './types.js';

/** The path the worker serves its metrics on (packages/worker/src/http-server.ts). */
export const METRICS_PATH = '/metrics';

/**
 * The Service labels that pick out the service's Service, and that every series scraped from it
 * carries. A ServiceMonitor selects Services, not pods, by the Services' own labels: the Service
 * carries the standard labels (render/service.ts), of which the name and the component say which
 * service it is; `managed-by` and `version` would select nothing more (and `version` changes with
 * every release).
 */
export const SERVICE_MONITOR_SELECTOR_KEYS = [NAME_LABEL, COMPONENT_LABEL] as const;

/**
 * Service labels copied onto every series as Prometheus labels. prometheus-operator turns each
 * `targetLabels` entry into a relabel rule from `__meta_kubernetes_service_label_<key>` to a label
 * named after the key with every character outside [a-zA-Z0-9_] replaced by "_"
 * (`sanitizeLabelName` in pkg/prometheus/promcfg.go, v0.89.0), so `app.kubernetes.io/name`
 * becomes `app_kubernetes_io_name`: what `sum by (app_kubernetes_io_name)` groups on. The rule
 * matches only non-empty values (regex `(.+)`), and the operator adds `namespace`, `service`,
 * `pod`, `container`, `endpoint` and `job` (the Service's name) by itself.
 */
export const SERVICE_MONITOR_TARGET_LABELS: readonly string[] = SERVICE_MONITOR_SELECTOR_KEYS;

/**
 * Scrapes the Service's `http` port (the worker's 8080) at /metrics, every `interval` when the
 * claim sets one (otherwise the Prometheus's own `scrapeInterval`). No `namespaceSelector`: a
 * ServiceMonitor without one selects Services in its own namespace only, which is the service's.
 */
export function renderServiceMonitor(ctx: RenderContext): KubeObject {
  const { interval, labels } = ctx.spec.metrics.serviceMonitor;
  const selector = Object.fromEntries(
    SERVICE_MONITOR_SELECTOR_KEYS.map((k) => [k, ctx.labels[k] ?? '']),
  );
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    // The platform's labels, then the claim's, sorted; validation keeps their keys apart.
    metadata: objectMeta(ctx.service.name, ctx.service, { ...ctx.labels, ...sortedByKey(labels) }),
    spec: {
      selector: { matchLabels: selector },
      endpoints: [
        {
          port: HTTP_PORT_NAME,
          path: METRICS_PATH,
          ...(interval === undefined ? {} : { interval }),
        },
      ],
      targetLabels: [...SERVICE_MONITOR_TARGET_LABELS],
    },
  };
}
