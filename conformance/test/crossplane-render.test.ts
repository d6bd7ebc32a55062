/**
 * Crossplane's own renderer as the judge: `crossplane composition render` runs Crossplane core's
 * composite reconciler (`--crossplane-binary`) against our generated Compositions and our
 * function, served by `eds function serve`. What it composes must equal `eds render`, and the XR
 * it leaves must carry our diagnosis condition and the readiness Crossplane derives.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_CONDITION } from '@eds/core';
import { failingPod, observed as status } from '../../packages/function/test/requests.js';
import {
  compositionRender,
  edsRender,
  EXAMPLE_CLAIMS,
  FunctionServer,
  functionsYaml,
  readYaml,
  RESOURCE_NAME_ANNOTATION,
  TARGETS,
  tempDir,
  xrFor,
  type Obj,
  type Rendered,
  type Target,
} from './crossplane.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSIONS } from './upstream.js';

let server: FunctionServer;
let functions: string;

beforeAll(async () => {
  server = await FunctionServer.start();
  functions = join(tempDir('functions'), 'functions.yaml');
  writeFileSync(functions, functionsYaml(server.address));
  console.log(
    `crossplane CLI ${VERSIONS.crossplaneCli}, core ${VERSIONS.crossplane}; function at ${server.address}`,
  );
});

afterAll(async () => {
  await server.stop();
});

const claim = (file: string): Obj => {
  const [doc] = readYaml(`examples/${file}`);
  if (doc === undefined) throw new Error(`examples/${file} holds no document`);
  return doc;
};

/** The object a composed resource stands for: itself (v2) or the manifest an Object wraps. */
function inner(o: Obj): Obj {
  const manifest = (o['spec'] as { forProvider?: { manifest?: Obj } } | undefined)?.forProvider
    ?.manifest;
  return o['kind'] === 'Object' && manifest !== undefined ? manifest : o;
}

const identity = (o: Obj): string => {
  const i = inner(o);
  return `${String(i['kind'])}/${String((i['metadata'] as { name?: string }).name)}`;
};

/** Resource key as our function names it: the kind, lower-cased (`scaledobject`). */
const keyOf = (o: Obj): string => String(inner(o)['kind']).toLowerCase();

type Strings = Record<string, string>;

/** `record` split into the entries named by `keys` and the rest (empty records become absent). */
function split(
  record: Strings | undefined,
  keys: readonly string[],
): [Strings, Strings | undefined] {
  const entries = Object.entries(record ?? {});
  const rest = entries.filter(([k]) => !keys.includes(k));
  return [
    Object.fromEntries(entries.filter(([k]) => keys.includes(k))),
    rest.length === 0 ? undefined : Object.fromEntries(rest),
  ];
}

/**
 * What Crossplane adds to every composed resource's metadata, checked and removed, so what is
 * left is what the function asked for: the resource name annotation, the composite label, the
 * controller reference to the XR; for cluster-scoped (legacy) XRs also the claim labels and a
 * generated name. Returns the problems found with those additions.
 */
function crossplaneAdditions(o: Obj, xr: Obj, target: Target): { rest: Obj; problems: string[] } {
  const problems: string[] = [];
  const xrMeta = xr['metadata'] as { name: string; labels?: Strings };
  const { labels, annotations, ownerReferences, generateName, name, ...meta } = o[
    'metadata'
  ] as Obj & { labels?: Strings; annotations?: Strings; ownerReferences?: Obj[] };
  const wantLabels: Strings = { 'crossplane.io/composite': xrMeta.name };
  if (target === 'legacy') {
    for (const l of ['crossplane.io/claim-name', 'crossplane.io/claim-namespace']) {
      wantLabels[l] = xrMeta.labels?.[l] ?? '';
    }
  }
  const [gotLabels, restLabels] = split(labels, Object.keys(wantLabels));
  if (!isDeepStrictEqual(gotLabels, wantLabels))
    problems.push(`labels ${JSON.stringify(gotLabels)}`);
  const [gotAnnotations, restAnnotations] = split(annotations, [RESOURCE_NAME_ANNOTATION]);
  if (gotAnnotations[RESOURCE_NAME_ANNOTATION] !== keyOf(o)) {
    problems.push(`annotations ${JSON.stringify(gotAnnotations)}`);
  }
  const owner = ownerReferences?.length === 1 ? ownerReferences[0] : undefined;
  if (
    owner === undefined ||
    owner['kind'] !== xr['kind'] ||
    owner['name'] !== xrMeta.name ||
    owner['controller'] !== true
  ) {
    problems.push(
      `ownerReferences ${JSON.stringify(ownerReferences)} do not name the XR as controller`,
    );
  }
  if (target === 'legacy') {
    // provider-kubernetes Objects are cluster-scoped: Crossplane names them after the XR.
    if (generateName !== `${xrMeta.name}-`) problems.push(`generateName ${String(generateName)}`);
    if (!String(name).startsWith(`${xrMeta.name}-`)) problems.push(`name ${String(name)}`);
  } else if (name !== undefined) {
    meta['name'] = name;
  }
  return {
    rest: {
      ...o,
      metadata: {
        ...meta,
        ...(restLabels === undefined ? {} : { labels: restLabels }),
        ...(restAnnotations === undefined ? {} : { annotations: restAnnotations }),
      },
    },
    problems,
  };
}

/** Field paths where `a` and `b` differ, for a failure message that names the field. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) =>
      differences(
        (a as Obj)[k],
        (b as Obj)[k],
        Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`,
      ),
    );
  }
  return [`${path || '.'}: crossplane ${JSON.stringify(a)}, eds render ${JSON.stringify(b)}`];
}

describe('crossplane composition render equals eds render', () => {
  describe.each(EXAMPLE_CLAIMS)('%s', (file) => {
    it.each(TARGETS)('target %s', async (target) => {
      const xr = xrFor(claim(file), target);
      const [rendered, expected] = await Promise.all([
        compositionRender(xr, target, { functions }),
        edsRender(`examples/${file}`, target),
      ]);
      const got = Object.values(rendered.composed);
      expect(got.map(identity).sort(), `${file} ${target}: the composed objects`).toEqual(
        expected.map(identity).sort(),
      );
      for (const want of expected) {
        const id = identity(want);
        const match = got.find((g) => identity(g) === id);
        if (match === undefined) throw new Error(`${file} ${target}: Crossplane composed no ${id}`);
        const { rest, problems } = crossplaneAdditions(match, xr, target);
        const diff = differences(rest, want);
        console.log(
          `render ${file} ${target} ${id}: ${diff.length === 0 && problems.length === 0 ? 'equal to eds render' : 'DIFFERENT'}`,
        );
        expect(problems, `${file} ${target} ${id}: Crossplane's metadata`).toEqual([]);
        expect(diff, `${file} ${target} ${id}: fields that differ`).toEqual([]);
      }
    });
  });
});

describe('the parity check can fail', () => {
  it('names the field when Crossplane composes something else than eds render', async () => {
    const original = claim('minimal-claim.yaml');
    const larger = { ...original, spec: { ...(original['spec'] as Obj), size: 'large' } };
    const [rendered, expected] = await Promise.all([
      compositionRender(larger, 'v2', { functions }),
      edsRender('examples/minimal-claim.yaml', 'v2'),
    ]);
    const want = expected.find((o) => identity(o) === 'Deployment/simple-worker');
    const got = rendered.composed['deployment'];
    if (want === undefined || got === undefined) throw new Error('no Deployment rendered');
    const diff = differences(crossplaneAdditions(got, larger, 'v2').rest, want);
    console.log(`render a larger size against minimal-claim.yaml: ${diff.join('; ')}`);
    expect(diff).toContainEqual(
      expect.stringMatching(/^\.spec\.template\.spec\.containers\[0\]\.resources\.requests\.cpu: /),
    );
  });
});

/** A composed object as the API server would show it once created, with `status` merged in. */
function observedAs(composed: Obj, target: Target, live: Obj): Obj {
  const liveMeta = (live['metadata'] as Obj | undefined) ?? {};
  const withStatus = (o: Obj): Obj => ({
    ...o,
    metadata: {
      ...(o['metadata'] as Obj),
      ...('generation' in liveMeta ? { generation: liveMeta['generation'] } : {}),
    },
    ...('spec' in live && o['kind'] === 'Deployment'
      ? { spec: { ...(o['spec'] as Obj), ...(live['spec'] as Obj) } }
      : {}),
    ...('status' in live ? { status: live['status'] } : {}),
  });
  if (target === 'v2') return withStatus(composed);
  const manifest = withStatus(inner(composed));
  return {
    ...composed,
    metadata: { ...(composed['metadata'] as Obj), generation: 1 },
    status: {
      atProvider: { manifest },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Available',
          lastTransitionTime: '2024-01-01T00:00:00Z',
        },
      ],
    },
  };
}

interface Scenario {
  readonly reason: string;
  /** Live state per resource key (status and, for the Deployment, generation and replicas). */
  readonly live: Partial<Record<string, Obj>>;
  readonly pods?: readonly Obj[];
  /** KEDA's HorizontalPodAutoscaler, fetched by name beside the pods. */
  readonly autoscaler?: Obj;
  /** The XR's status fields the function writes (all of them), when the case checks them. */
  readonly status?: Obj;
  /** Our condition: status, reason, and a part of the message. */
  readonly health: readonly ['True' | 'False', string, string];
  /** Crossplane's `Ready`: status and reason. */
  readonly ready: readonly ['True' | 'False', string];
  /** A warning event is emitted (pod causes and KEDA errors). */
  readonly warning: boolean;
}

const notReadyDeployment = status.deployment({ readyReplicas: 0, availableReplicas: 0 }, 1);
const healthy = {
  deployment: status.deployment(),
  scaledobject: status.scaledObject(),
  service: status.service(),
  serviceaccount: status.serviceAccount(),
};
const inNamespace = (p: Obj): Obj => ({
  ...p,
  metadata: { ...(p['metadata'] as Obj), namespace: 'workers' },
});

const lastScaleTime = '2026-12-04T20:15:00Z';
const counts = { replicas: 2, readyReplicas: 2, availableReplicas: 2 };

const scenarios: Scenario[] = [
  {
    reason: 'healthy',
    live: healthy,
    autoscaler: status.autoscaler(),
    status: { ...counts, desiredReplicas: 3, lag: 250, lastScaleTime },
    health: ['True', 'Available', '2/2 pods ready'],
    ready: ['True', 'Available'],
    warning: false,
  },
  {
    reason: 'healthy, before KEDA made its HPA',
    live: healthy,
    status: counts,
    health: ['True', 'Available', '2/2 pods ready'],
    ready: ['True', 'Available'],
    warning: false,
  },
  {
    reason: 'scaling up, a lag per replica in milli-units',
    live: healthy,
    autoscaler: status.autoscaler({
      currentReplicas: 4,
      desiredReplicas: 6,
      currentMetrics: [
        {
          type: 'External',
          external: {
            metric: { name: 's0-nats-jetstream-SIMPLE_JOBS' },
            current: { averageValue: '137500m' },
          },
        },
      ],
    }),
    status: { ...counts, desiredReplicas: 6, lag: 550, lastScaleTime },
    health: ['True', 'Available', '2/2 pods ready'],
    ready: ['True', 'Available'],
    warning: false,
  },
  {
    reason: 'scaled to zero by KEDA',
    live: {
      ...healthy,
      deployment: status.deployment(
        { replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0 },
        0,
      ),
    },
    // The HPA is idle at zero: no metric, so no lag.
    autoscaler: status.autoscaler({ currentReplicas: 0, desiredReplicas: 0, currentMetrics: [] }),
    status: {
      replicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      desiredReplicas: 0,
      lastScaleTime,
    },
    health: ['True', 'ScaledToZero', 'idle: KEDA scaled the service to zero'],
    ready: ['True', 'Available'],
    warning: false,
  },
  {
    reason: 'image pull error',
    live: { ...healthy, deployment: notReadyDeployment },
    pods: [failingPod.imagePull()],
    health: [
      'False',
      'ImagePullBackOff',
      'pod simple-worker-6d9f-abcde: the image cannot be pulled',
    ],
    ready: ['False', 'Creating'],
    warning: true,
  },
  {
    reason: 'missing Secret',
    live: { ...healthy, deployment: notReadyDeployment },
    pods: [failingPod.missingSecret('simple-worker-db')],
    health: [
      'False',
      'CreateContainerConfigError',
      'Secret "simple-worker-db" does not exist in the namespace',
    ],
    ready: ['False', 'Creating'],
    warning: true,
  },
  {
    reason: 'init container crash loop',
    live: { ...healthy, deployment: notReadyDeployment },
    pods: [failingPod.initCrashLoop()],
    health: [
      'False',
      'InitCrashLoopBackOff',
      'init container "init" keeps failing (3 restarts, exit code 2)',
    ],
    ready: ['False', 'Creating'],
    warning: true,
  },
  {
    reason: 'KEDA TriggerError',
    live: {
      ...healthy,
      scaledobject: status.scaledObject({
        type: 'Ready',
        status: 'False',
        reason: 'TriggerError',
        message: 'Triggers defined in ScaledObject are not working correctly',
      }),
    },
    health: [
      'False',
      'TriggerError',
      'KEDA: Triggers defined in ScaledObject are not working correctly',
    ],
    ready: ['False', 'Creating'],
    warning: true,
  },
];

/** The status fields the function writes (the XRD's `status` besides Crossplane's own). */
const STATUS_FIELDS = [
  'replicas',
  'readyReplicas',
  'availableReplicas',
  'desiredReplicas',
  'lag',
  'lastScaleTime',
];

function condition(xr: Obj, type: string): Obj | undefined {
  const conditions = (xr['status'] as { conditions?: Obj[] } | undefined)?.conditions ?? [];
  return conditions.find((c) => c['type'] === type);
}

describe('the XR Crossplane renders from observed state carries our condition', () => {
  const minimal = 'minimal-claim.yaml';
  const desired = new Map<Target, Rendered>();

  beforeAll(async () => {
    for (const target of TARGETS) {
      desired.set(
        target,
        await compositionRender(xrFor(claim(minimal), target), target, { functions }),
      );
    }
  });

  describe.each(TARGETS)('target %s', (target) => {
    it.each(scenarios)('$reason', async (scenario) => {
      const { live, pods, autoscaler, health, ready, warning } = scenario;
      const first = desired.get(target);
      if (first === undefined) throw new Error('no desired render');
      const observed = Object.entries(first.composed).map(([key, o]) =>
        observedAs(o, target, live[key] ?? {}),
      );
      const required = [...(pods ?? []).map(inNamespace), ...(autoscaler ? [autoscaler] : [])];
      const rendered = await compositionRender(xrFor(claim(minimal), target), target, {
        functions,
        observed,
        ...(required.length === 0 ? {} : { required }),
      });
      const ours = condition(rendered.xr, HEALTH_CONDITION);
      const crossplaneReady = condition(rendered.xr, 'Ready');
      console.log(
        `observed ${target} ${health[1]}: ${HEALTH_CONDITION}=${String(ours?.['status'])}/${String(ours?.['reason'])} ` +
          `"${String(ours?.['message'])}"; Ready=${String(crossplaneReady?.['status'])}/${String(crossplaneReady?.['reason'])}`,
      );
      expect(ours, `${minimal} ${target}: XR condition ${HEALTH_CONDITION}`).toMatchObject({
        status: health[0],
        reason: health[1],
      });
      expect(String(ours?.['message'])).toContain(health[2]);
      if (scenario.status !== undefined) {
        const xrStatus = (rendered.xr['status'] as Obj | undefined) ?? {};
        const written = Object.fromEntries(
          STATUS_FIELDS.flatMap((k) => (k in xrStatus ? [[k, xrStatus[k]]] : [])),
        );
        console.log(`observed ${target} ${scenario.reason}: XR status ${JSON.stringify(written)}`);
        expect(written, `${minimal} ${target}: the XR's status fields`).toEqual(scenario.status);
      }
      expect(crossplaneReady, `${minimal} ${target}: XR condition Ready`).toMatchObject({
        status: ready[0],
        reason: ready[1],
      });
      // Crossplane keeps only non-system condition types from a function; ours reached the XR,
      // and (legacy) is propagated to the claim.
      if (target === 'legacy') {
        expect((rendered.xr['status'] as Obj)['claimConditionTypes']).toEqual([HEALTH_CONDITION]);
      }
      // The events Crossplane records from our results (what `kubectl describe` shows).
      const warnings = rendered.results
        .filter((r) => r['severity'] === 'Warning')
        .map((r) => String(r['message']));
      const ours_ = warnings.filter((m) => m.includes(`${health[1]}: `));
      expect(
        ours_.length,
        `${minimal} ${target}: Warning events naming ${health[1]}: ${warnings.join('; ')}`,
      ).toBe(warning ? 1 : 0);
    });
  });
});

describe("a managed consumer: readiness from NACK's status, through Crossplane's renderer", () => {
  const file = 'scale-to-zero-claim.yaml';
  const idle = {
    ...healthy,
    deployment: status.deployment(
      { replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0 },
      0,
    ),
  };
  const cases: {
    readonly reason: string;
    readonly live: Record<string, Obj>;
    readonly health: readonly ['True' | 'False', string, string];
    readonly ready: 'True' | 'False';
  }[] = [
    {
      reason: 'NACK has not reported on it',
      live: { ...idle, consumer: { status: {} } },
      health: ['False', 'ConsumerNotReady', 'NACK has not reported on the Consumer yet'],
      ready: 'False',
    },
    {
      reason: 'NACK failed to create it',
      live: {
        ...idle,
        consumer: status.consumer('False', 'create or update consumer: stream not found'),
      },
      health: ['False', 'ConsumerNotReady', 'NACK: create or update consumer: stream not found'],
      ready: 'False',
    },
    {
      reason: 'ready, no pod running',
      live: { ...idle, consumer: status.consumer() },
      health: ['True', 'ScaledToZero', 'idle: KEDA scaled the service to zero'],
      ready: 'True',
    },
  ];

  describe.each(TARGETS)('target %s', (target) => {
    it.each(cases)('$reason', async ({ live, health, ready }) => {
      const xr = xrFor(claim(file), target);
      const first = await compositionRender(xr, target, { functions });
      expect(Object.keys(first.composed)).toContain('consumer');
      const observed = Object.entries(first.composed).map(([key, o]) =>
        observedAs(o, target, live[key] ?? {}),
      );
      const rendered = await compositionRender(xr, target, { functions, observed });
      const ours = condition(rendered.xr, HEALTH_CONDITION);
      const crossplaneReady = condition(rendered.xr, 'Ready');
      console.log(
        `observed ${file} ${target} ${health[1]}: ${HEALTH_CONDITION}=${String(ours?.['status'])}/${String(ours?.['reason'])} ` +
          `"${String(ours?.['message'])}"; Ready=${String(crossplaneReady?.['status'])}`,
      );
      expect(ours).toMatchObject({ status: health[0], reason: health[1] });
      expect(String(ours?.['message'])).toContain(health[2]);
      // For legacy, Crossplane's Ready follows the Objects' own Ready, which provider-kubernetes
      // derives from the Consumer with the CEL query (packages/function/test/readiness.test.ts).
      if (target === 'v2') expect(crossplaneReady?.['status']).toBe(ready);
    });
  });
});

describe("the legacy target's namespace, through Crossplane's renderer", () => {
  const legacyXr = (labels: Obj, withClaimRef: boolean): Obj => {
    const xr = xrFor(claim('minimal-claim.yaml'), 'legacy');
    const { claimRef, ...spec } = xr['spec'] as Obj;
    return {
      ...xr,
      metadata: { ...(xr['metadata'] as Obj), labels },
      spec: withClaimRef ? { ...spec, claimRef } : spec,
    };
  };
  const kubeSystem = {
    'crossplane.io/claim-name': 'simple-worker',
    'crossplane.io/claim-namespace': 'kube-system',
  };

  it('comes from spec.claimRef, not from a claim-namespace label', async () => {
    const rendered = await compositionRender(legacyXr(kubeSystem, true), 'legacy', { functions });
    const placed = Object.values(rendered.composed).map(
      (o) => (inner(o)['metadata'] as { namespace?: string }).namespace,
    );
    console.log(
      `legacy XR labelled kube-system, claimRef in workers: composed into ${placed.join(', ')}`,
    );
    expect(placed).toEqual(['workers', 'workers', 'workers', 'workers', 'workers']);
  });

  it('is refused, with a FATAL result naming spec.claimRef, for an XR made without a claim', async () => {
    const failure = compositionRender(legacyXr(kubeSystem, false), 'legacy', { functions });
    await expect(failure).rejects.toThrow(
      /cannot compose XEventDrivenService "simple-worker-x7k2p":\s+spec\.claimRef {2}is missing/,
    );
  });
});
