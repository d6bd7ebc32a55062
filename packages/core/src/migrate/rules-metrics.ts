/**
 * How a hand-written ServiceMonitor compares with the platform's (spec.metrics.serviceMonitor,
 * ADR 10): the endpoint that scrapes the worker's port 8080 is matched with the platform's, its
 * interval and the ServiceMonitor's labels are carried by the claim, and every other scrape
 * setting (relabelings, TLS, auth, a second endpoint, …) is lost, with how to keep it.
 */
import { PLATFORM_LABEL_KEYS } from '../render/labels.js';
import { METRICS_PATH } from '../render/service-monitor.js';
import { json, type Facts, type Rule } from './facts.js';
import { ANNOTATIONS } from './rules-common.js';

const KEEP_YOURS =
  'to keep yours, set spec.metrics.serviceMonitor.enabled: false and keep applying it';
const ENDPOINT = 'spec.endpoints[@http]';
const NAMESPACE =
  "the platform's ServiceMonitor lives in the service's namespace and selects the Service there; the Prometheus must select ServiceMonitors in that namespace (serviceMonitorNamespaceSelector)";

/** The endpoint's field a row is under: `metricRelabelings` for `…metricRelabelings[0]`. */
const endpointField = (f: Facts) => f.shape[f.shape.indexOf('[@http]') + 1] ?? '';

export const SERVICE_MONITOR_RULES: readonly Rule[] = [
  {
    at: 'metadata.labels.*',
    verdict: (f) =>
      f.before === undefined || PLATFORM_LABEL_KEYS.includes(f.shape.at(-1) ?? '')
        ? 'policy'
        : 'lost',
    reason: (f) =>
      f.before === undefined || PLATFORM_LABEL_KEYS.includes(f.shape.at(-1) ?? '')
        ? 'the platform adds its own labels (app.kubernetes.io/name, component, managed-by, version); the others are spec.metrics.serviceMonitor.labels'
        : `label ${json(f.shape.at(-1))} is not a valid Kubernetes label, so spec.metrics.serviceMonitor.labels cannot carry it`,
  },
  { at: 'metadata.annotations.**', verdict: 'lost', reason: ANNOTATIONS },
  {
    at: 'metadata.name',
    verdict: 'policy',
    reason: (f) => `the ServiceMonitor is named after the service, ${f.service.name}`,
  },
  { at: 'metadata.namespace', verdict: 'policy', reason: NAMESPACE },
  { at: 'spec.namespaceSelector.**', verdict: 'policy', reason: NAMESPACE },
  {
    at: 'spec.selector.**',
    verdict: 'policy',
    reason: 'the platform selects the Service by app.kubernetes.io/name and component',
  },
  {
    at: `${ENDPOINT}.{port,targetPort}`,
    verdict: 'policy',
    reason:
      "the platform scrapes the Service's port by its name, http, which reaches the worker's 8080",
  },
  {
    at: `${ENDPOINT}.path`,
    verdict: 'lost',
    reason: (f) =>
      `the worker serves its metrics at ${METRICS_PATH} only; ${json(f.before)} is not representable`,
  },
  {
    at: `${ENDPOINT}.interval`,
    verdict: 'lost',
    reason: (f) =>
      `${json(f.before)} is not a Prometheus duration that spec.metrics.serviceMonitor.interval accepts (such as "30s" or "1m30s"); unset, the Prometheus's own scrapeInterval applies`,
  },
  {
    at: `${ENDPOINT}.**`,
    verdict: 'lost',
    reason: (f) =>
      `${endpointField(f)} is not representable: the platform's endpoint sets only the port, path and interval; ${KEEP_YOURS}`,
  },
  {
    at: 'spec.endpoints[*]',
    verdict: (f) => (f.before === undefined ? 'policy' : 'lost'),
    reason: (f) =>
      f.before === undefined
        ? `no endpoint scraped the worker's port 8080; the platform scrapes ${METRICS_PATH} on the Service's http port`
        : `only the worker's ${METRICS_PATH} on port 8080 is scraped; an endpoint on another port is not representable (keep applying a ServiceMonitor of your own for it)`,
  },
  {
    at: 'spec.targetLabels',
    verdict: (f) => (f.before === undefined ? 'policy' : 'lost'),
    reason: (f) =>
      f.before === undefined
        ? 'every series carries app_kubernetes_io_name and app_kubernetes_io_component, from the Service'
        : `targetLabels ${json(f.before)} is not representable: every series carries app_kubernetes_io_name and app_kubernetes_io_component; ${KEEP_YOURS}`,
  },
  {
    at: '**',
    verdict: (f) => (f.before === undefined ? 'policy' : 'lost'),
    reason: (f) =>
      f.before === undefined
        ? 'set by the platform'
        : `not representable on the platform's ServiceMonitor; ${KEEP_YOURS}`,
  },
];
