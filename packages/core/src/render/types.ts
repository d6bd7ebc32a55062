import type { ServiceIdentity, Spec } from '../api/types.js';
import type { ImageRef } from './image.js';

/** A Kubernetes object as plain data, ready to serialise. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: Record<string, unknown>;
  readonly [field: string]: unknown;
}

/**
 * Stable names of the composed resources (Crossplane's composition-resource-name): the kind,
 * lower-cased. `poddisruptionbudget` is composed only when the claim keeps it on,
 * `servicemonitor` and `consumer` only when the claim turns them on.
 */
export const RESOURCE_KEYS = [
  'serviceaccount',
  'deployment',
  'service',
  'scaledobject',
  'poddisruptionbudget',
  'servicemonitor',
  'consumer',
] as const;
export type ResourceKey = (typeof RESOURCE_KEYS)[number];

export interface Rendered {
  readonly key: ResourceKey;
  readonly object: KubeObject;
}

export interface RenderContext {
  readonly service: ServiceIdentity;
  readonly spec: Spec;
  readonly image: ImageRef;
  readonly labels: Record<string, string>;
}
