/**
 * The XRD schema must be a Kubernetes structural schema, or the API server rejects the XRD.
 * These checks follow the rules of apiextensions.k8s.io/v1 for structural schemas.
 */
import { FUNCTION_NODE_FLAGS, parseYamlDocuments } from '@eds/core';
import { Ajv } from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { xrdLegacy, xrdV2 } from '../../src/crossplane/manifests.js';
import { platformInstall } from '../../src/crossplane/packages.js';
import { xrdOpenApiSchema } from '../../src/crossplane/xrd-schema.js';

type Node = Record<string, unknown>;
const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** Every schema node with its JSON path. */
function nodes(node: Node, path = '$'): [string, Node][] {
  const out: [string, Node][] = [[path, node]];
  for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, Node>)) {
    out.push(...nodes(v, `${path}.${k}`));
  }
  if (node.items !== undefined) out.push(...nodes(node.items as Node, `${path}[]`));
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

describe('the XRD schema is structural', () => {
  const schema = xrdOpenApiSchema();
  const all = nodes(schema);

  it('types every node', () => {
    expect(all.filter(([, n]) => typeof n.type !== 'string').map(([p]) => p)).toEqual([]);
  });

  it('uses only keywords Kubernetes accepts, and no additionalProperties beside properties', () => {
    const bad = all.flatMap(([p, n]) =>
      Object.keys(n)
        .filter((k) => !ALLOWED.has(k))
        .map((k) => `${p}: ${k}`),
    );
    expect(bad).toEqual([]);
  });

  it('has defaults that are valid against their own schema', () => {
    const ajv = new Ajv({ strict: false });
    const withDefault = all.filter(([, n]) => n.default !== undefined);
    expect(withDefault.length).toBeGreaterThan(5);
    for (const [path, n] of withDefault) {
      const { default: value, ...own } = n;
      expect(ajv.validate(own, value), `${path} default ${JSON.stringify(value)}`).toBe(true);
    }
  });

  it('uses only RE2-compatible patterns (no lookaround, no backreferences)', () => {
    const patterns = all.flatMap(([p, n]) =>
      typeof n.pattern === 'string' ? [[p, n.pattern]] : [],
    );
    expect(patterns.length).toBeGreaterThan(5);
    for (const [path, pattern] of patterns) {
      expect(pattern, path).not.toMatch(/\(\?[=!<]|\\[1-9]/);
      expect(() => new RegExp(pattern ?? '', 'u'), path).not.toThrow();
    }
  });

  it('accepts every example claim spec and the status the function writes', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('-claim.yaml'));
    for (const file of examples) {
      const [doc] = parseYamlDocuments(readFileSync(join(root, 'examples', file), 'utf8'));
      const spec = (doc?.value as { spec: unknown }).spec;
      const ok = validate({
        spec,
        status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 },
      });
      expect(ok ? [] : validate.errors, file).toEqual([]);
    }
  });
});

describe('the XRDs', () => {
  it('v2 is namespaced and named like the claim kind; legacy has a claim', () => {
    expect(xrdV2().spec).toMatchObject({
      scope: 'Namespaced',
      names: { kind: 'EventDrivenService', plural: 'eventdrivenservices' },
    });
    expect(xrdV2().spec).not.toHaveProperty('claimNames');
    expect(xrdLegacy()).toMatchObject({
      apiVersion: 'apiextensions.crossplane.io/v1',
      metadata: { name: 'xeventdrivenservices.platform.bizmatters.io' },
      spec: {
        names: { kind: 'XEventDrivenService', plural: 'xeventdrivenservices' },
        claimNames: { kind: 'EventDrivenService', plural: 'eventdrivenservices' },
      },
    });
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
        ((container?.resources as Node).limits as Record<string, string>).memory,
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
