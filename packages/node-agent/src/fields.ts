/**
 * Downward API values: `fieldRef` and `resourceFieldRef`, for env and for `downwardAPI` volume
 * items, with the kubelet's supported paths and messages
 * (pkg/kubelet/kubelet_pods.go `podFieldSelectorRuntimeValue`, pkg/fieldpath).
 */
import type { Container, Pod, ResourceFieldSelector } from './kube-types.js';
import { parseQuantity } from '@eds/core';

/** Where the pod runs: the agent's host network. */
export interface Placement {
  /** status.hostIP and status.podIP (the pod shares the host network). */
  readonly ip: string;
  /** What resourceFieldRef reports for a limit the container does not set: the node's allocatable. */
  readonly allocatable: {
    readonly cpu: number;
    readonly memory: number;
    readonly 'ephemeral-storage': number;
  };
}

export type Resolved =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string };

const SUBSCRIPT = /^metadata\.(labels|annotations)\['(.*)'\]$/;

/** A whole label or annotation map as the downward API writes it: sorted `key="value"` lines. */
function formatMap(map: Readonly<Record<string, string>> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(map?.[k] ?? '')}`)
    .join('\n');
}

/** The value of `fieldPath` for `pod`. */
export function fieldRefValue(pod: Pod, fieldPath: string, placement: Placement): Resolved {
  const ok = (value: string | undefined): Resolved => ({ ok: true, value: value ?? '' });
  const m = SUBSCRIPT.exec(fieldPath);
  if (m !== null) {
    const map = m[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations;
    return ok(map?.[m[2] ?? '']);
  }
  switch (fieldPath) {
    case 'metadata.labels':
      return ok(formatMap(pod.metadata?.labels));
    case 'metadata.annotations':
      return ok(formatMap(pod.metadata?.annotations));
    case 'metadata.name':
      return ok(pod.metadata?.name);
    case 'metadata.namespace':
      return ok(pod.metadata?.namespace);
    case 'metadata.uid':
      return ok(pod.metadata?.uid);
    case 'spec.nodeName':
      return ok(pod.spec?.nodeName);
    case 'spec.serviceAccountName':
      return ok(pod.spec?.serviceAccountName);
    case 'status.podIP':
    case 'status.podIPs':
    case 'status.hostIP':
    case 'status.hostIPs':
      return ok(placement.ip);
    default:
      return { ok: false, message: `unsupported fieldPath: ${fieldPath}` };
  }
}

const RESOURCE = /^(limits|requests)\.(cpu|memory|ephemeral-storage)$/;

/**
 * The value of a `resourceFieldRef`: the container's limit or request divided by `divisor`
 * (default 1), rounded up, as the kubelet computes it (pkg/api/v1/resource
 * `ExtractContainerResourceValue`).
 */
export function resourceFieldValue(
  container: Container,
  ref: ResourceFieldSelector,
  placement: Placement,
): Resolved {
  const m = RESOURCE.exec(ref.resource);
  if (m === null) return { ok: false, message: `unsupported container resource : ${ref.resource}` };
  const kind = m[1] as 'limits' | 'requests';
  const resource = m[2] as 'cpu' | 'memory' | 'ephemeral-storage';
  const divisorText = ref.divisor ?? '1';
  const divisor = parseQuantity(divisorText);
  if (divisor === undefined || divisor <= 0) {
    return { ok: false, message: `invalid divisor ${JSON.stringify(divisorText)}` };
  }
  const limit = container.resources?.limits?.[resource];
  const request = container.resources?.requests?.[resource];
  // The API server defaults requests to limits; an unset request is 0, an unset limit the node's.
  const set = kind === 'limits' ? limit : (request ?? '0');
  const value = set === undefined ? placement.allocatable[resource] : parseQuantity(set);
  if (value === undefined) {
    return { ok: false, message: `invalid quantity ${JSON.stringify(set)} in ${ref.resource}` };
  }
  return { ok: true, value: String(Math.ceil(value / divisor)) };
}
