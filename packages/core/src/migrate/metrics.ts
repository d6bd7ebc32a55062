/**
 * `spec.metrics` from the manifests: a ServiceMonitor that scrapes the service's Service turns
 * `serviceMonitor.enabled` on, with the scrape interval of the endpoint that reaches the worker
 * and the ServiceMonitor's own labels (which a Prometheus's serviceMonitorSelector matches, such
 * as `release: kube-prometheus-stack`). A value the claim cannot hold stays out of it, and the
 * comparison reports it (rules-service-monitor.ts). No ServiceMonitor: the claim keeps the
 * default, none.
 */
import { prometheusDuration } from '../api/rules.js';
import { labelValueProblem, qualifiedNameProblem } from '../api/qualified-name.js';
import { LABEL_KEY, reservedLabelProblem } from '../api/service-monitor.js';
import type { ServiceGroup } from './group.js';
import { isObject, objects } from './manifests.js';
import { at } from './own.js';
import { metricsEndpoint, namedPorts } from './ports.js';

type Obj = Record<string, unknown>;

/** Whether `value` is a scrape interval the claim accepts (api/rules.ts, prometheusDuration). */
export function claimInterval(value: unknown): value is string {
  const rule = prometheusDuration;
  return (
    typeof value === 'string' &&
    value !== '' &&
    value.length <= rule.maxLength &&
    new RegExp(rule.pattern).test(value)
  );
}

/** Whether the ServiceMonitor label `key: value` can be a claim label. */
export function claimLabel(key: string, value: unknown): boolean {
  return (
    typeof value === 'string' &&
    reservedLabelProblem(key) === undefined &&
    qualifiedNameProblem(key, LABEL_KEY) === undefined &&
    labelValueProblem(value) === undefined
  );
}

/** `spec.metrics`, or nothing; `worker` is the worker's container, whose port 8080 is scraped. */
export function metrics(group: ServiceGroup, worker: Obj): Obj {
  const monitor = group.serviceMonitor?.object;
  if (monitor === undefined) return {};
  const index = metricsEndpoint(monitor, group.service?.object, namedPorts([worker]));
  const interval = at(objects(at(monitor, 'spec', 'endpoints'))[index ?? -1], 'interval');
  const labels = at(monitor, 'metadata', 'labels');
  const carried = Object.entries(isObject(labels) ? labels : {}).filter(([k, v]) =>
    claimLabel(k, v),
  );
  return {
    serviceMonitor: {
      enabled: true,
      ...(claimInterval(interval) ? { interval } : {}),
      ...(carried.length === 0 ? {} : { labels: Object.fromEntries(carried) }),
    },
  };
}
