import { HTTP_PORT, HTTP_PORT_NAME } from './deployment.js';
import { objectMeta, selectorLabels } from './labels.js';
import type { KubeObject, RenderContext } from './types.js';

/** ClusterIP Service on the worker's HTTP port (probes and metrics). */
export function renderService(ctx: RenderContext): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMeta(ctx.service.name, ctx.service, ctx.labels),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(ctx.service),
      ports: [
        { name: HTTP_PORT_NAME, port: HTTP_PORT, targetPort: HTTP_PORT_NAME, protocol: 'TCP' },
      ],
    },
  };
}
