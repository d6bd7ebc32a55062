/**
 * The rules of `spec.metrics.serviceMonitor.labels` that its JSON Schema cannot state: keys and
 * values as Kubernetes accepts them on labels (apimachinery `ValidateLabels`), and none of the
 * keys the platform sets on every object itself (render/labels.ts), which the map would fight.
 */
import { issue, type Issue } from './issues.js';
import { entryIssues } from './annotations.js';
import { labelValueProblem, qualifiedNameProblem } from './qualified-name.js';
import { PLATFORM_LABEL_KEYS } from '../render/labels.js';

export const LABEL_KEY = { noun: 'label', example: 'release', lowercase: false } as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why the claim may not set label `key` on the ServiceMonitor, or `undefined`. */
export function reservedLabelProblem(key: string): string | undefined {
  if (!PLATFORM_LABEL_KEYS.includes(key)) return undefined;
  return `is set by the platform on every object it renders (${PLATFORM_LABEL_KEYS.join(', ')}), and the ServiceMonitor carries it already; choose another key, e.g. "release" for a Prometheus whose serviceMonitorSelector selects release: kube-prometheus-stack`;
}

export function serviceMonitorIssues(spec: Record<string, unknown>): Issue[] {
  const metrics = spec.metrics;
  const monitor = isObject(metrics) ? metrics.serviceMonitor : undefined;
  const labels = isObject(monitor) ? monitor.labels : undefined;
  if (!isObject(labels)) return [];
  const at = ['spec', 'metrics', 'serviceMonitor', 'labels'];
  return entryIssues(labels, at, 'label keys or values', (key, value) => {
    const invalid = qualifiedNameProblem(key, LABEL_KEY);
    if (invalid !== undefined) return [issue('label-key', [...at, key], invalid)];
    const reserved = reservedLabelProblem(key);
    if (reserved !== undefined) return [issue('reserved-label', [...at, key], reserved)];
    // Values that are not strings are the schema's to report.
    const bad = typeof value === 'string' ? labelValueProblem(value) : undefined;
    return bad === undefined ? [] : [issue('label-value', [...at, key], bad)];
  });
}
