import type { ServiceIdentity } from '../api/types.js';
import type { ImageRef } from './image.js';
import { isLabelValue } from '../api/qualified-name.js';

export const COMPONENT = 'event-driven-worker';
export const NAME_LABEL = 'app.kubernetes.io/name';
export const COMPONENT_LABEL = 'app.kubernetes.io/component';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'crossplane';
export const VERSION_LABEL = 'app.kubernetes.io/version';

/** Every label key the platform may set on an object; a claim may not set them itself. */
export const PLATFORM_LABEL_KEYS: readonly string[] = [
  NAME_LABEL,
  COMPONENT_LABEL,
  MANAGED_BY_LABEL,
  VERSION_LABEL,
];

/**
 * The labels that mark an object or pod as the platform's, for the service `name`: every pod
 * of the service carries them, so they select its pods and no other team's of the same name.
 */
export function platformLabels(name: string): Record<string, string> {
  return { [NAME_LABEL]: name, [COMPONENT_LABEL]: COMPONENT, [MANAGED_BY_LABEL]: MANAGED_BY };
}

/** Labels on every object and pod; `version` only when the tag is a valid label value. */
export function standardLabels(service: ServiceIdentity, image: ImageRef): Record<string, string> {
  const tag = image.tag;
  return {
    ...platformLabels(service.name),
    ...(tag !== undefined && isLabelValue(tag) ? { [VERSION_LABEL]: tag } : {}),
  };
}

/** The selector of the Deployment and the Service. It never changes for a service. */
export function selectorLabels(service: ServiceIdentity): Record<string, string> {
  return { [NAME_LABEL]: service.name };
}

export function objectMeta(
  name: string,
  service: ServiceIdentity,
  labels: Record<string, string>,
): Record<string, unknown> {
  return {
    name,
    ...(service.namespace === undefined ? {} : { namespace: service.namespace }),
    labels,
  };
}

/** A copy of a string map with its keys in order, so that output does not follow input order. */
export function sortedByKey(map: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(map)
      .sort()
      .map((k) => [k, map[k] ?? '']),
  );
}
