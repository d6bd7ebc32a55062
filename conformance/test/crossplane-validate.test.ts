/**
 * `crossplane resource validate`, offline, as the judge of schemas: every XR and object
 * Crossplane renders (and, for the legacy target, every object a provider-kubernetes Object
 * wraps) against our generated XRDs and the upstream CRDs of KEDA's ScaledObject,
 * provider-kubernetes's Object and prometheus-operator's ServiceMonitor at the pinned versions; the packages we ship against
 * Crossplane's own CRDs. Built-in Kubernetes kinds are decoded strictly against client-go's
 * types by the CLI itself.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render, validateClaim } from '@eds/core';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { validClaim } from '../../packages/core/test/arbitraries.js';
import { VALIDATED_IN_CONFORMANCE } from '../../packages/core/test/upstream.js';
import { observed as status } from '../../packages/function/test/requests.js';
import {
  compositionRender,
  EXAMPLE_CLAIMS,
  FunctionServer,
  functionsYaml,
  PACKAGE,
  readYaml,
  run,
  TARGETS,
  tempDir,
  validateCache,
  xrFor,
  type Obj,
  type Target,
} from './crossplane.js';
import { REPO_ROOT, tool, upstreamDir, VERSIONS } from './upstream.js';

interface Result {
  readonly kind: string;
  readonly name: string;
  readonly status: string;
  readonly errors?: readonly { field?: string; message: string }[];
}

interface Report {
  readonly summary: { total: number; valid: number; invalid: number; missingSchemas: number };
  readonly resources: readonly Result[];
}

let server: FunctionServer;
let functions: string;
let cache: { dir: string; image: string };

beforeAll(async () => {
  server = await FunctionServer.start();
  functions = join(tempDir('functions'), 'functions.yaml');
  writeFileSync(functions, functionsYaml(server.address));
  cache = validateCache();
  console.log(
    `crossplane resource validate (CLI ${VERSIONS.crossplaneCli}) with Crossplane ${VERSIONS.crossplane} CRDs, ` +
      `KEDA ${VERSIONS.keda} ScaledObject, provider-kubernetes ${VERSIONS.providerKubernetes} Object, ` +
      `prometheus-operator ${VERSIONS.prometheusOperator} ServiceMonitor`,
  );
});

afterAll(async () => {
  await server.stop();
});

/** The CRD of our function's pipeline input, shipped in the function package. */
const FUNCTION_INPUT_CRD = 'package/function/input/inputs.eds.platform.bizmatters.io.yaml';

/**
 * The upstream CRDs, from the Go module cache, and our XRD for `target` and the function input's
 * CRD, in one directory.
 */
function extensions(target: Target): string {
  const dir = tempDir(`extensions-${target}`);
  symlinkSync(join(REPO_ROOT, PACKAGE[target].xrd), join(dir, 'xrd.yaml'));
  symlinkSync(join(REPO_ROOT, FUNCTION_INPUT_CRD), join(dir, 'function-input.yaml'));
  symlinkSync(
    join(upstreamDir('KEDA_DIR'), 'config/crd/bases/keda.sh_scaledobjects.yaml'),
    join(dir, 'keda.sh_scaledobjects.yaml'),
  );
  symlinkSync(
    join(
      upstreamDir('PROVIDER_KUBERNETES_DIR'),
      'package/crds/kubernetes.crossplane.io_objects.yaml',
    ),
    join(dir, 'kubernetes.crossplane.io_objects.yaml'),
  );
  // NACK's CRDs, all in one file (Stream, Consumer, Account, KeyValue, ObjectStore).
  symlinkSync(
    join(upstreamDir('NACK_DIR'), 'deploy/crds.yml'),
    join(dir, 'jetstream.nats.io.yaml'),
  );
  symlinkSync(
    join(
      upstreamDir('PROMETHEUS_OPERATOR_DIR'),
      'example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml',
    ),
    join(dir, 'monitoring.coreos.com_servicemonitors.yaml'),
  );
  return dir;
}

async function validate(extensionsDir: string, resources: readonly Obj[]): Promise<Report> {
  const dir = tempDir('resources');
  mkdirSync(join(dir, 'r'));
  writeFileSync(join(dir, 'r', 'resources.yaml'), resources.map((r) => stringify(r)).join('---\n'));
  const r = await run(tool('crossplane'), [
    'resource',
    'validate',
    extensionsDir,
    join(dir, 'r'),
    '--cache-dir',
    cache.dir,
    '--crossplane-image',
    cache.image,
    '--output',
    'json',
  ]);
  try {
    return JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(
      `crossplane resource validate exited ${r.code} without a JSON report:\n${r.stderr}${r.stdout}`,
    );
  }
}

const describeResult = (r: Result): string =>
  `${r.kind}/${r.name}: ${r.status}${(r.errors ?? []).map((e) => ` [${e.field ?? ''}: ${e.message}]`).join('')}`;

const wrapped = (o: Obj): Obj | undefined =>
  o['kind'] === 'Object'
    ? (o['spec'] as { forProvider: { manifest: Obj } }).forProvider.manifest
    : undefined;

const claim = (file: string): Obj => {
  const [doc] = readYaml(`examples/${file}`);
  if (doc === undefined) throw new Error(`examples/${file} holds no document`);
  return doc;
};

describe('crossplane resource validate: rendered objects', () => {
  describe.each(TARGETS)('target %s', (target) => {
    it.each(EXAMPLE_CLAIMS)('%s', async (file) => {
      const xr = xrFor(claim(file), target);
      const desired = await compositionRender(xr, target, { functions });
      // Render again with every object observed healthy, so the XR's status holds everything
      // the function writes there (conditions, replica counts) and is validated too.
      const live: Record<string, Obj> = {
        deployment: status.deployment(),
        scaledobject: status.scaledObject(),
        consumer: status.consumer(),
      };
      const observed = Object.entries(desired.composed).map(([key, o]) => {
        const s = live[key]?.['status'];
        if (s === undefined) return o;
        if (target === 'v2') return { ...o, status: s };
        const manifest = wrapped(o) ?? {};
        return { ...o, status: { atProvider: { manifest: { ...manifest, status: s } } } };
      });
      const rendered = await compositionRender(xr, target, { functions, observed });
      const composed: Obj[] = Object.values(rendered.composed);
      const manifests = composed.map(wrapped).filter((m): m is Obj => m !== undefined);
      const resources = [
        rendered.xr,
        ...(target === 'legacy' ? [claim(file)] : []),
        ...composed,
        ...manifests,
      ];
      const report = await validate(extensions(target), resources);
      for (const r of report.resources)
        console.log(`validate ${file} ${target} ${describeResult(r)}`);
      expect(
        report.resources.filter((r) => r.status !== 'valid').map(describeResult),
        `${file} ${target}: objects crossplane resource validate rejects or has no schema for`,
      ).toEqual([]);
      expect(report.summary.total, `${file} ${target}: objects validated`).toBe(resources.length);
    });
  });
});

describe('crossplane resource validate: the check can fail', () => {
  it('rejects a ServiceMonitor with a bad interval or an unknown field, naming each field', async () => {
    const desired = await compositionRender(xrFor(claim('full-claim.yaml'), 'v2'), 'v2', {
      functions,
    });
    const monitor = desired.composed['servicemonitor'];
    if (monitor === undefined) throw new Error('full-claim.yaml rendered no ServiceMonitor');
    const spec = monitor['spec'] as { endpoints: Obj[] };
    const badInterval = {
      ...monitor,
      metadata: { ...(monitor['metadata'] as Obj), name: 'bad-interval' },
      spec: { ...spec, endpoints: [{ ...spec.endpoints[0], interval: '30 s' }] },
    };
    const unknownField = {
      ...monitor,
      metadata: { ...(monitor['metadata'] as Obj), name: 'unknown-field' },
      spec: { ...spec, targetLabel: ['app.kubernetes.io/name'] },
    };
    const report = await validate(extensions('v2'), [monitor, badInterval, unknownField]);
    for (const r of report.resources) console.log(`validate (ServiceMonitor) ${describeResult(r)}`);
    const byName = Object.fromEntries(report.resources.map((r) => [r.name, r]));
    expect(byName['order-processor']?.status).toBe('valid');
    expect(byName['bad-interval']?.errors?.map((e) => e.field)).toEqual([
      'spec.endpoints[0].interval',
    ]);
    expect(byName['unknown-field']?.errors?.map((e) => e.field)).toEqual(['spec.targetLabel']);
  });

  it('rejects a broken ScaledObject, Deployment, PodDisruptionBudget, XR and function input, naming each field', async () => {
    const desired = await compositionRender(xrFor(claim('minimal-claim.yaml'), 'v2'), 'v2', {
      functions,
    });
    const { scaledobject, deployment, poddisruptionbudget } = desired.composed;
    if (scaledobject === undefined || deployment === undefined || poddisruptionbudget === undefined)
      throw new Error('nothing rendered');
    const brokenScaler = {
      ...scaledobject,
      spec: { ...(scaledobject['spec'] as Obj), minReplicaCount: 'one' },
    };
    const brokenDeployment = {
      ...deployment,
      spec: { ...(deployment['spec'] as Obj), replica: 2 },
    };
    const brokenBudget = {
      ...poddisruptionbudget,
      spec: { ...(poddisruptionbudget['spec'] as Obj), maxUnavailabe: 1 },
    };
    const brokenXr = { ...desired.xr, spec: { ...(desired.xr['spec'] as Obj), size: 'huge' } };
    const brokenInput = {
      apiVersion: 'eds.platform.bizmatters.io/v1alpha1',
      kind: 'Input',
      metadata: { name: 'broken' },
      target: 'v3',
    };
    const report = await validate(extensions('v2'), [
      brokenScaler,
      brokenDeployment,
      brokenBudget,
      brokenXr,
      brokenInput,
    ]);
    for (const r of report.resources) console.log(`validate (broken) ${describeResult(r)}`);
    const fields = (kind: string) =>
      report.resources
        .filter((r) => r.kind === kind)
        .flatMap((r) => (r.errors ?? []).map((e) => e.field));
    expect(report.summary.invalid).toBe(5);
    expect(fields('Input')).toContain('target');
    expect(fields('ScaledObject')).toContain('spec.minReplicaCount');
    expect(fields('EventDrivenService')).toContain('spec.size');
    // Built-in kinds are decoded strictly: an unknown field is named in the message.
    expect(
      report.resources.filter((r) => r.kind === 'Deployment').flatMap((r) => r.errors ?? []),
    ).toContainEqual(expect.objectContaining({ message: 'unknown field "spec.replica"' }));
    expect(
      report.resources
        .filter((r) => r.kind === 'PodDisruptionBudget')
        .flatMap((r) => r.errors ?? []),
    ).toContainEqual(expect.objectContaining({ message: 'unknown field "spec.maxUnavailabe"' }));
  });
});

describe("crossplane resource validate: NACK's Consumer CRD", () => {
  it('rejects a Consumer NACK would refuse, naming each field', async () => {
    const desired = await compositionRender(xrFor(claim('scale-to-zero-claim.yaml'), 'v2'), 'v2', {
      functions,
    });
    const { consumer } = desired.composed;
    if (consumer === undefined) throw new Error('scale-to-zero-claim.yaml composed no Consumer');
    const broken = {
      ...consumer,
      spec: { ...(consumer['spec'] as Obj), durableName: 'report.builders', maxDeliver: '5' },
    };
    const report = await validate(extensions('v2'), [consumer, broken]);
    for (const r of report.resources) console.log(`validate (Consumer) ${describeResult(r)}`);
    expect(report.summary.valid, 'the composed Consumer').toBe(1);
    expect(report.summary.invalid, 'the broken one').toBe(1);
    const fields = report.resources.flatMap((r) => (r.errors ?? []).map((e) => e.field));
    expect(fields).toEqual(expect.arrayContaining(['spec.durableName', 'spec.maxDeliver']));
  });
});

describe('crossplane resource validate: random valid claims', () => {
  it('renders a ServiceMonitor and a Consumer the pinned CRDs accept for any valid claim', async () => {
    // The unit property test checks the other kinds against npm models (packages/core/test);
    // these two CRDs come only from their Go modules, so they are judged here, in one run.
    const claims = fc.sample(validClaim, { numRuns: 150, seed: 20261207 });
    const objects = claims.flatMap((doc, i) => {
      const result = validateClaim(doc);
      if (!result.ok) throw new Error(`generated claim ${i} is invalid`);
      return render(result.claim, result.claim.spec)
        .map((r) => r.object)
        .filter((o) => VALIDATED_IN_CONFORMANCE.has(o.kind))
        .map((o): Obj => ({ ...o, metadata: { ...o.metadata, name: `claim-${i}` } }));
    });
    const kinds = new Set(objects.map((o) => o['kind']));
    expect([...kinds].sort(), 'both kinds among the samples').toEqual([
      'Consumer',
      'ServiceMonitor',
    ]);
    const report = await validate(extensions('v2'), objects);
    const rejected = report.resources.filter((r) => r.status !== 'valid').map(describeResult);
    console.log(
      `validate (random claims) ${objects.length} objects from ${claims.length} claims, ${rejected.length} rejected`,
    );
    expect(rejected).toEqual([]);
    expect(report.summary.total).toBe(objects.length);
  });
});

describe('crossplane resource validate: the packages we ship', () => {
  it.each(TARGETS)('%s package against Crossplane and Kubernetes schemas', async (target) => {
    const files = [
      PACKAGE[target].xrd,
      PACKAGE[target].composition,
      'package/platform/install.yaml',
      'package/platform/clusterrole.yaml',
    ];
    const resources = files.flatMap((f) => readYaml(f));
    const report = await validate(extensions(target), resources);
    // The validator also checks each pipeline step's input, against the function's Input CRD.
    for (const r of report.resources)
      console.log(`validate package ${target} ${describeResult(r)}`);
    expect(
      report.resources.filter((r) => r.status !== 'valid').map(describeResult),
      `${target}: package objects rejected or without schema`,
    ).toEqual([]);
    expect(report.summary.total).toBe(resources.length + 1);
    expect(report.resources.filter((r) => r.kind === 'Input').map((r) => r.status)).toEqual([
      'valid',
    ]);
  });
});
