/**
 * Pod Security Standards "restricted", judged by Kubernetes' own admission library
 * (k8s.io/pod-security-admission, through `kube-check pss`): every example claim, rendered for
 * both targets, must pass every check, init container included; a deliberately weakened pod
 * template must fail exactly the checks that guard what was weakened.
 *
 * kube-check unwraps the legacy target's provider-kubernetes `Object`s itself, so what is sent
 * is exactly what the composition composes.
 */
import { forTarget, render, TARGETS, validateClaim, wrapInObject, type Target } from '@eds/core';
import { parseYamlDocuments } from '@eds/core';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tool, VERSIONS } from './upstream.js';

interface Violation {
  readonly id: string;
  readonly reason: string;
  readonly detail: string;
}

interface Judged {
  readonly index: number;
  readonly kind: string;
  readonly name: string;
  readonly wrappedIn?: string;
  readonly decodeErrors: readonly string[];
  readonly containers: readonly string[];
  readonly initContainers: readonly string[];
  readonly allowed: boolean;
  readonly forbidden?: string;
  readonly violations: readonly Violation[];
}

interface PssVerdict {
  readonly level: string;
  readonly version: string;
  readonly latestMeans: string;
  readonly modules: Readonly<Record<string, string>>;
  readonly checkIDs: readonly string[];
  readonly objects: readonly Judged[];
  readonly skipped: readonly { kind: string; name: string; reason: string }[];
}

/** The k8s.io staging modules' version for KUBERNETES_VERSION (v1.35.5 → v0.35.5). */
const K8S_MODULES = VERSIONS.kubernetes.replace(/^v1\./, 'v0.');

function pss(objects: readonly unknown[]): PssVerdict {
  const r = spawnSync(tool('kube-check'), ['pss'], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`kube-check pss exited ${String(r.status)}: ${r.stderr}`);
  return JSON.parse(r.stdout) as PssVerdict;
}

const EXAMPLES = join(REPO_ROOT, 'examples');
const CLAIM_FILES = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('-claim.yaml'))
  .sort();

function loadClaim(file: string) {
  const [doc] = parseYamlDocuments(readFileSync(join(EXAMPLES, file), 'utf8'));
  const v = validateClaim(doc?.value);
  if (!v.ok) throw new Error(`examples/${file} is invalid: ${JSON.stringify(v.issues)}`);
  return v.claim;
}

function objectsFor(file: string, target: Target) {
  const claim = loadClaim(file);
  return forTarget(render(claim, claim.spec), { target }).map((r) => r.object);
}

const describeObject = (o: Judged) =>
  `${o.kind}/${o.name}${o.wrappedIn === undefined ? '' : ` (in ${o.wrappedIn})`}`;

describe('Pod Security "restricted" (k8s.io/pod-security-admission)', () => {
  it('is the pinned library, at version latest', () => {
    const v = pss([]);
    console.log(
      `pss library k8s.io/pod-security-admission ${String(v.modules['k8s.io/pod-security-admission'])}:` +
        ` level=${v.level} version=${v.version} → ${v.latestMeans}; checks: ${v.checkIDs.join(', ')}`,
    );
    expect(v.modules['k8s.io/pod-security-admission']).toBe(K8S_MODULES);
    expect(v.modules['k8s.io/api']).toBe(K8S_MODULES);
    expect([v.level, v.version]).toEqual(['restricted', 'latest']);
    expect(v.latestMeans).toMatch(/^v1\.\d+$/);
  });

  it('judges every example claim the lead asked for', () => {
    const names = CLAIM_FILES.map((f) => f.replace(/-claim\.yaml$/, ''));
    console.log(`pss example claims: ${names.join(', ')}`);
    expect(names).toEqual(
      expect.arrayContaining(['minimal', 'full', 'agent-executor', 'secretrefs']),
    );
  });

  describe.each(CLAIM_FILES)('examples/%s', (file) => {
    const claimName = file.replace(/-claim\.yaml$/, '');
    const hasInit = loadClaim(file).spec.initContainer !== undefined;
    const monitored = loadClaim(file).spec.metrics.serviceMonitor.enabled;
    const managedConsumer = loadClaim(file).spec.nats.managedConsumer;

    it.each(TARGETS)('target %s: every container passes', (target) => {
      const v = pss(objectsFor(file, target));
      const where = (o: Judged) =>
        `claim=${claimName} target=${target} object=${describeObject(o)}`;
      expect(v.objects, `claim=${claimName} target=${target}: one pod template`).toHaveLength(1);
      for (const o of v.objects) {
        console.log(
          `pss ${where(o)} containers=[${o.containers.join(',')}] init=[${o.initContainers.join(',')}]` +
            ` → ${o.allowed ? 'allowed' : `FORBIDDEN ${String(o.forbidden)}`}`,
        );
        expect(o.kind, where(o)).toBe('Deployment');
        expect(o.wrappedIn, where(o)).toBe(target === 'legacy' ? 'Object' : undefined);
        expect(o.decodeErrors, `${where(o)}: fields apps/v1 does not know`).toEqual([]);
        expect(o.containers, where(o)).toEqual(['main']);
        // The init container is really there, so the library really judged it.
        expect(o.initContainers, `${where(o)} field=spec.template.spec.initContainers`).toEqual(
          hasInit ? ['init'] : [],
        );
        expect(
          o.violations.map((x) => `${x.id}: ${x.reason} (${x.detail})`),
          `${where(o)}: Pod Security violations`,
        ).toEqual([]);
        expect(o.allowed, where(o)).toBe(true);
      }
      // Nothing else carries a pod template (the legacy Objects are unwrapped first).
      expect(v.skipped.map((s) => s.kind).sort()).toEqual([
        ...(managedConsumer ? ['Consumer'] : []),
        'PodDisruptionBudget',
        'ScaledObject',
        'Service',
        'ServiceAccount',
        ...(monitored ? ['ServiceMonitor'] : []),
      ]);
    });
  });

  it('the claims with an init container include full and agent-executor', () => {
    const withInit = CLAIM_FILES.filter((f) => loadClaim(f).spec.initContainer !== undefined);
    console.log(`pss claims with an init container: ${withInit.join(', ')}`);
    expect(withInit).toEqual(
      expect.arrayContaining(['full-claim.yaml', 'agent-executor-claim.yaml']),
    );
  });
});

// ---- A weakened pod template must fail, with the check that guards what was weakened. ----

interface Container {
  name: string;
  securityContext?: Record<string, unknown>;
}
interface PodSpec {
  securityContext?: Record<string, unknown>;
  initContainers?: Container[];
  containers: Container[];
  volumes?: Record<string, unknown>[];
}

/** The full example's Deployment (main and init containers), for the v2 target. */
function fullDeployment() {
  const claim = loadClaim('full-claim.yaml');
  const rendered = render(claim, claim.spec).find((r) => r.key === 'deployment');
  if (rendered === undefined) throw new Error('render made no Deployment');
  return rendered;
}

function podSpecOf(object: unknown): PodSpec {
  return (object as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
}

function container(spec: PodSpec, name: string): Container {
  const c = [...(spec.initContainers ?? []), ...spec.containers].find((x) => x.name === name);
  if (c === undefined) throw new Error(`no container ${name}`);
  return c;
}

interface Weakening {
  readonly what: string;
  readonly weaken: (spec: PodSpec) => void;
  /** [check ID, text its detail must contain (the field and the container or volume)]. */
  readonly expected: readonly (readonly [string, string])[];
}

const dropRunAsNonRoot = (spec: PodSpec) => {
  delete spec.securityContext?.['runAsNonRoot'];
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    delete c.securityContext?.['runAsNonRoot'];
  }
};
const initEscalates = (spec: PodSpec) => {
  container(spec, 'init').securityContext = {
    ...container(spec, 'init').securityContext,
    allowPrivilegeEscalation: true,
  };
};
const hostPath = (spec: PodSpec) => {
  spec.volumes = [...(spec.volumes ?? []), { name: 'host', hostPath: { path: '/var/run' } }];
};
const keepCapabilities = (spec: PodSpec) => {
  const main = container(spec, 'main');
  main.securityContext = { ...main.securityContext };
  delete main.securityContext['capabilities'];
};

const WEAKENINGS: readonly Weakening[] = [
  {
    what: 'runAsNonRoot dropped from the pod and every container',
    weaken: dropRunAsNonRoot,
    expected: [['runAsNonRoot', 'securityContext.runAsNonRoot=true']],
  },
  {
    what: 'the init container allows privilege escalation',
    weaken: initEscalates,
    expected: [['allowPrivilegeEscalation', 'container "init"']],
  },
  {
    what: 'a hostPath volume',
    weaken: hostPath,
    expected: [['restrictedVolumes', 'volume "host" uses restricted volume type "hostPath"']],
  },
  {
    what: 'the main container no longer drops its capabilities',
    weaken: keepCapabilities,
    expected: [
      [
        'capabilities_restricted',
        'container "main" must set securityContext.capabilities.drop=["ALL"]',
      ],
    ],
  },
  {
    what: 'all four at once',
    weaken: (spec) => {
      dropRunAsNonRoot(spec);
      initEscalates(spec);
      hostPath(spec);
      keepCapabilities(spec);
    },
    // In the library's evaluation order: baseline checks, then restricted, each by ID.
    expected: [
      ['allowPrivilegeEscalation', 'container "init"'],
      ['capabilities_restricted', 'container "main"'],
      ['restrictedVolumes', 'volume "host"'],
      ['runAsNonRoot', 'securityContext.runAsNonRoot=true'],
    ],
  },
];

describe('a weakened pod template fails the matching checks', () => {
  describe.each(TARGETS)('target %s', (target) => {
    it.each(WEAKENINGS)('$what', ({ weaken, expected }) => {
      const deployment = structuredClone(fullDeployment());
      weaken(podSpecOf(deployment.object));
      const object = target === 'v2' ? deployment.object : wrapInObject(deployment, 'default');
      const v = pss([object]);
      expect(v.objects).toHaveLength(1);
      const [o] = v.objects;
      if (o === undefined) return;
      const where = `claim=full (weakened) target=${target} object=${describeObject(o)}`;
      console.log(`pss ${where} → ${o.violations.map((x) => `${x.id} (${x.detail})`).join('; ')}`);
      expect(o.allowed, where).toBe(false);
      expect(
        o.violations.map((x) => x.id),
        where,
      ).toEqual(expected.map(([id]) => id));
      for (const [i, [id, detail]] of expected.entries()) {
        expect(o.violations[i]?.detail, `${where} check=${id}`).toContain(detail);
      }
      expect(o.forbidden, where).toMatch(/^would violate PodSecurity "restricted:latest": /);
    });
  });
});
