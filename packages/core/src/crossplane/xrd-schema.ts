/**
 * The XRD's OpenAPI schema, derived from the API definition. Kubernetes wants a structural
 * schema: every node typed, no `additionalProperties` beside `properties` (unknown fields are
 * pruned by the API server instead; the function rejects them), no `$schema`, `$id` or `const`.
 */
import { plain } from '../api/json-schema.js';
import { FunctionInputSchema, SpecSchema } from '../api/schema.js';

export type OpenApiSchema = Record<string, unknown>;

const DROPPED = new Set(['$schema', '$id', 'const', 'title']);

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (typeof node !== 'object' || node === null) return node;
  const out: OpenApiSchema = {};
  const source = node as OpenApiSchema;
  for (const [key, value] of Object.entries(source)) {
    if (DROPPED.has(key)) continue;
    if (key === 'additionalProperties' && 'properties' in source) continue;
    if (key === 'properties') {
      out[key] = Object.fromEntries(
        Object.entries(value as OpenApiSchema).map(([k, v]) => [k, convert(v)]),
      );
    } else {
      out[key] = convert(value);
    }
  }
  return out;
}

/**
 * Status the composition function writes: the Deployment's replica counts and what KEDA's
 * HorizontalPodAutoscaler last decided. Conditions are Crossplane's. A field is absent when the
 * object it comes from does not report it.
 */
const statusSchema: OpenApiSchema = {
  type: 'object',
  description: 'Observed state, written by the composition function.',
  properties: {
    replicas: {
      type: 'integer',
      description:
        "Replicas the Deployment runs now (its spec.replicas, which KEDA's autoscaler sets).",
    },
    readyReplicas: { type: 'integer', description: 'Replicas passing their readiness probe.' },
    availableReplicas: { type: 'integer', description: 'Replicas available to do work.' },
    desiredReplicas: {
      type: 'integer',
      description:
        "Replicas KEDA's HorizontalPodAutoscaler (keda-hpa-<name>-scaler) wants, as of its last sync (every 15 s by default). Absent until the autoscaler exists.",
    },
    lag: {
      type: 'integer',
      description:
        "Messages pending plus acknowledgement-pending on the consumer, as KEDA read them for the autoscaler's last sync. Absent while the service is scaled to zero (the autoscaler is idle; KEDA itself watches for the first message) or when the autoscaler reports no metric.",
    },
    lastScaleTime: {
      type: 'string',
      format: 'date-time',
      description: 'When the autoscaler last changed the replica count. Absent until it has.',
    },
  },
};

export function xrdOpenApiSchema(): OpenApiSchema {
  const spec = convert(plain(SpecSchema)) as OpenApiSchema;
  return {
    type: 'object',
    required: ['spec'],
    properties: {
      spec: {
        ...spec,
        // Cross-field rule, enforced by the API server too (defaults are applied first).
        'x-kubernetes-validations': [
          {
            rule: '!has(self.scaling) || !has(self.scaling.minReplicas) || !has(self.scaling.maxReplicas) || self.scaling.minReplicas <= self.scaling.maxReplicas',
            message: 'spec.scaling.minReplicas must not be greater than spec.scaling.maxReplicas',
          },
        ],
      },
      status: statusSchema,
    },
  };
}

/**
 * The function input's OpenAPI schema, for the CRD the function package ships so that
 * `crossplane resource validate` (and editors) can check a Composition's pipeline input.
 */
export function functionInputOpenApiSchema(): OpenApiSchema {
  return convert(plain(FunctionInputSchema)) as OpenApiSchema;
}
