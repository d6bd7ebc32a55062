import type { ServiceIdentity } from '../api/types.js';
import type { ImageRef } from './image.js';

export const COMPONENT = 'event-driven-worker';
export const NAME_LABEL = 'app.kubernetes.io/name';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Labels on every object and pod; `version` only when the tag is a valid label value. */
export function standardLabels(service: ServiceIdentity, image: ImageRef): Record<string, string> {
  const tag = image.tag;
  return {
    [NAME_LABEL]: service.name,
    'app.kubernetes.io/component': COMPONENT,
    'app.kubernetes.io/managed-by': 'crossplane',
    ...(tag !== undefined && tag.length <= 63 && LABEL_VALUE.test(tag)
      ? { 'app.kubernetes.io/version': tag }
      : {}),
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
