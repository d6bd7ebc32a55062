import type { KubeObject, RenderContext } from './types.js';
import { objectMeta } from './labels.js';

/** Pod identity with no API token mounted: workers do not call the Kubernetes API. */
export function renderServiceAccount(ctx: RenderContext): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: objectMeta(ctx.service.name, ctx.service, ctx.labels),
    automountServiceAccountToken: false,
  };
}
