/**
 * Every rendered object is checked against the upstream Kubernetes and KEDA OpenAPI schemas
 * (kubernetes-models, @kubernetes-models/keda), and every pod against Pod Security Standards
 * "restricted".
 */
import { render, validateClaim, parseYamlDocuments, type KubeObject } from '@eds/core';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateUpstream } from '../upstream.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

function claimFiles(): string[] {
  const examples = readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('-claim.yaml'))
    .map((f) => join(root, 'examples', f));
  const testdata = join(root, 'packages/core/test/render/testdata');
  return [...examples, ...readdirSync(testdata).map((c) => join(testdata, c, 'claim.yaml'))];
}

function validated(path: string) {
  const [doc] = parseYamlDocuments(readFileSync(path, 'utf8'));
  const result = validateClaim(doc?.value);
  if (!result.ok) throw new Error(`${path} is invalid`);
  return result.claim;
}

function renderFile(path: string): KubeObject[] {
  const claim = validated(path);
  return render(claim, claim.spec).map((r) => r.object);
}

interface Container {
  name: string;
  securityContext?: Record<string, unknown>;
}

describe.each(claimFiles().map((f) => ({ file: f.slice(root.length) })))('$file', ({ file }) => {
  const objects = renderFile(join(root, file));
  const { availability, metrics, nats } = validated(join(root, file)).spec;

  it('renders the four kinds, the PodDisruptionBudget unless the claim turns it off, the ServiceMonitor and the Consumer when it turns them on', () => {
    expect(objects.map((o) => o.kind)).toEqual([
      'ServiceAccount',
      'Deployment',
      'Service',
      'ScaledObject',
      ...(availability.podDisruptionBudget ? ['PodDisruptionBudget'] : []),
      ...(metrics.serviceMonitor.enabled ? ['ServiceMonitor'] : []),
      ...(nats.managedConsumer ? ['Consumer'] : []),
    ]);
  });

  // No models package here for the Prometheus Operator's kinds or NACK's: the conformance suite
  // validates the ServiceMonitor and the Consumer against prometheus-operator's and NACK's own
  // CRDs at the pinned versions (conformance/test/crossplane-validate.test.ts).
  const modelled = objects.filter((o) => o.kind !== 'ServiceMonitor' && o.kind !== 'Consumer');
  it.each(modelled.map((o) => ({ kind: o.kind, object: o })))(
    '$kind passes the upstream schema',
    ({ object }) => {
      expect(() => {
        validateUpstream(object);
      }).not.toThrow();
    },
  );

  it('meets Pod Security Standards "restricted" in every container', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { template: { spec: Record<string, unknown> } };
    };
    const pod = deployment.spec.template.spec;
    const containers = [
      ...((pod.initContainers ?? []) as Container[]),
      ...(pod.containers as Container[]),
    ];
    expect(containers.length).toBeGreaterThan(0);
    for (const c of containers) {
      expect(c.securityContext, c.name).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
    expect(pod).not.toHaveProperty('hostNetwork');
    expect(pod).not.toHaveProperty('hostPID');
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  it('leaves the replica count to KEDA and passes trigger metadata as strings', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as { spec: object };
    expect(deployment.spec).not.toHaveProperty('replicas');
    const so = objects.find((o) => o.kind === 'ScaledObject') as unknown as {
      spec: { triggers: { metadata: Record<string, unknown> }[] };
    };
    for (const t of so.spec.triggers) {
      for (const v of Object.values(t.metadata)) expect(typeof v).toBe('string');
    }
  });
});

describe('the upstream validators catch what they should', () => {
  it('rejects a Deployment whose container port is a string', () => {
    const [, deployment] = renderFile(join(root, 'examples/minimal-claim.yaml'));
    const broken = structuredClone(deployment) as unknown as {
      spec: { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } };
    };
    const port = broken.spec.template.spec.containers[0]?.ports[0];
    if (port) port.containerPort = 'eighty';
    expect(() => {
      validateUpstream(broken as unknown as KubeObject);
    }).toThrow(/containerPort/);
  });

  it('rejects a PodDisruptionBudget whose maxUnavailable is a list', () => {
    const pdb = renderFile(join(root, 'examples/minimal-claim.yaml'))[4] as unknown as {
      kind: string;
      spec: Record<string, unknown>;
    };
    expect(pdb.kind).toBe('PodDisruptionBudget');
    const broken = structuredClone(pdb);
    broken.spec.maxUnavailable = [1];
    expect(() => {
      validateUpstream(broken as unknown as KubeObject);
    }).toThrow(/maxUnavailable/);
  });

  it('rejects a ScaledObject without triggers', () => {
    const so = renderFile(join(root, 'examples/minimal-claim.yaml'))[3] as unknown as {
      spec: Record<string, unknown>;
    };
    const broken = structuredClone(so);
    delete broken.spec.triggers;
    expect(() => {
      validateUpstream(broken as unknown as KubeObject);
    }).toThrow(/triggers/);
  });
});
