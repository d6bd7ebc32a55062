/**
 * What the API server itself cannot tell us about the XRD schema. Whether the CRD Crossplane
 * makes of each XRD is valid (structural, typed, defaults valid, RE2 patterns, names and
 * scope) is judged by the API server's own validation code in the conformance suite
 * (conformance/test/crd.test.ts), and the example claims and the status the function writes
 * are validated against it by `crossplane resource validate`
 * (conformance/test/crossplane-validate.test.ts). Here: the stricter keyword allow-list that
 * keeps the schema usable by JSON Schema tools, and JavaScript's reading of the patterns.
 */
import { FUNCTION_NODE_FLAGS } from '@eds/core';
import { describe, expect, it } from 'vitest';
import { platformInstall } from '../../src/crossplane/packages.js';
import { xrdOpenApiSchema } from '../../src/crossplane/xrd-schema.js';

type Node = Record<string, unknown>;

/** Every schema node with its JSON path. */
function nodes(node: Node, path = '$'): [string, Node][] {
  const out: [string, Node][] = [[path, node]];
  for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, Node>)) {
    out.push(...nodes(v, `${path}.${k}`));
  }
  if (node.items !== undefined) out.push(...nodes(node.items as Node, `${path}[]`));
  if (typeof node.additionalProperties === 'object') {
    out.push(...nodes(node.additionalProperties as Node, `${path}.*`));
  }
  return out;
}

const ALLOWED = new Set([
  'type',
  'properties',
  'required',
  'items',
  'description',
  'default',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'nullable',
  'format',
  'x-kubernetes-validations',
]);

describe('the XRD schema, for JSON Schema tools', () => {
  const schema = xrdOpenApiSchema();
  const all = nodes(schema);

  it('uses only keywords Kubernetes accepts, and no additionalProperties beside properties', () => {
    // A map (podAnnotations, serviceMonitor.labels) is `additionalProperties` with a schema and no `properties`,
    // as structural schemas allow.
    const map = (n: Node, k: string) =>
      k === 'additionalProperties' && typeof n.additionalProperties === 'object' && !n.properties;
    const bad = all.flatMap(([p, n]) =>
      Object.keys(n)
        .filter((k) => !ALLOWED.has(k) && !map(n, k))
        .map((k) => `${p}: ${k}`),
    );
    expect(bad).toEqual([]);
    expect(all.filter(([, n]) => map(n, 'additionalProperties')).map(([p]) => p)).toEqual([
      '$.spec.podAnnotations',
      '$.spec.metrics.serviceMonitor.labels',
    ]);
  });

  it('has patterns JavaScript reads as Unicode regular expressions', () => {
    const patterns = all.flatMap(([p, n]) =>
      typeof n.pattern === 'string' ? [[p, n.pattern]] : [],
    );
    expect(patterns.length).toBeGreaterThan(5);
    for (const [path, pattern] of patterns) {
      expect(() => new RegExp(pattern ?? '', 'u'), path).not.toThrow();
    }
  });
});

describe('the platform install', () => {
  const objects = platformInstall();
  const runtime = objects.find((o) => o.kind === 'DeploymentRuntimeConfig');
  const fn = objects.find((o) => o.kind === 'Function');

  it('runs the function with the runtime config, whose limit holds the Node old-space ceiling', () => {
    expect(fn?.spec).toMatchObject({ runtimeConfigRef: { name: runtime?.metadata.name } });
    // Crossplane only merges a container named package-runtime into the function's pod.
    const container = (
      runtime?.spec as {
        deploymentTemplate: { spec: { template: { spec: { containers: Node[] } } } };
      }
    ).deploymentTemplate.spec.template.spec.containers[0];
    expect(container).toMatchObject({ name: 'package-runtime' });
    const limitMiB = Number(
      /^(\d+)Mi$/.exec(
        ((container?.resources as Node).limits as Record<string, string>).memory ?? '',
      )?.[1],
    );
    const oldSpaceMiB = Number(
      /=(\d+)$/.exec(
        FUNCTION_NODE_FLAGS.find((f) => f.startsWith('--max-old-space-size')) ?? '',
      )?.[1],
    );
    expect(limitMiB).toBeGreaterThan(oldSpaceMiB + 64); // room for code, young generation, buffers
  });
});
