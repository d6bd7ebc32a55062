/**
 * What a claim needs from its Kubernetes cluster, checked against what the API server answers
 * (`eds preflight --kubeconfig/--context`): the namespace and its Pod Security labels, every
 * Secret the pods read with every key they map, the pull secrets' type, and the platform that
 * turns the claim into a worker: Crossplane's XRD, a Composition for it and the Functions its
 * pipeline calls, KEDA (its CRD and the external metrics API the HPA reads through it), and
 * NACK, the Prometheus Operator or provider-kubernetes where the claim or the target needs them.
 * Pure: the caller reads (packages/cli/src/preflight/cluster.ts) and passes the answers as JSON.
 */
import { API_GROUP, KIND, LEGACY_XR_KIND } from '../api/constants.js';
import type { Claim } from '../api/types.js';
import { at, list, str, type Obj } from './json.js';
import type { Finding } from './nats.js';

/** One object read from the API server. */
export type Read =
  | { readonly status: 'found'; readonly object: unknown }
  | { readonly status: 'missing' }
  /** Anything else: forbidden, a timeout, a server error; `reason` is one line. */
  | { readonly status: 'failed'; readonly reason: string };

/** The CRDs preflight reads, by what needs them. */
export const CLUSTER_CRDS = {
  crossplane: 'compositeresourcedefinitions.apiextensions.crossplane.io',
  keda: 'scaledobjects.keda.sh',
  nack: 'consumers.jetstream.nats.io',
  prometheus: 'servicemonitors.monitoring.coreos.com',
  providerKubernetes: 'objects.kubernetes.crossplane.io',
} as const;

/** The XRD of each target: the v2 XR is the claim's kind; the legacy one offers it as a claim. */
export const XRD_NAMES = {
  v2: `eventdrivenservices.${API_GROUP}`,
  legacy: `xeventdrivenservices.${API_GROUP}`,
} as const;

/** The APIService the HPA reads external metrics through; KEDA's metrics server serves it. */
export const EXTERNAL_METRICS_API = 'v1beta1.external.metrics.k8s.io';

const PSA_LEVELS = ['privileged', 'baseline', 'restricted'];
const PULL_SECRET_TYPES = ['kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg'];

export interface ClusterAnswers {
  /** Where the answers came from, for messages: the context's name and server. */
  readonly where: string;
  /** The claim's namespace, or the context's where the claim names none. */
  readonly namespace: string;
  readonly namespaceObject: Read;
  /** Every Secret the claim names (`secretRefs`, slots, pull secrets), by name. */
  readonly secrets: Readonly<Record<string, Read>>;
  /** Every CRD in `CLUSTER_CRDS`, by name. */
  readonly crds: Readonly<Record<string, Read>>;
  readonly xrds: { readonly v2: Read; readonly legacy: Read };
  /** The Composition list (apiextensions.crossplane.io/v1). */
  readonly compositions: Read;
  /** The Functions `functionNames` named, by name. */
  readonly functions: Readonly<Record<string, Read>>;
  readonly externalMetrics: Read;
}

type Target = 'v2' | 'legacy';
const XR_KIND: Readonly<Record<Target, string>> = { v2: KIND, legacy: LEGACY_XR_KIND };

/** The Compositions for the target's XR kind. */
function compositionsOf(compositions: Read, target: Target): Obj[] {
  if (compositions.status !== 'found') return [];
  return list(at(compositions.object, 'items')).filter(
    (c) =>
      at(c, 'spec', 'compositeTypeRef', 'kind') === XR_KIND[target] &&
      str(at(c, 'spec', 'compositeTypeRef', 'apiVersion'))?.startsWith(`${API_GROUP}/`) === true,
  );
}

/** The Functions the target's Compositions call, so the caller reads each. */
export function functionNames(compositions: Read, target: Target): string[] {
  const names = compositionsOf(compositions, target).flatMap((c) =>
    list(at(c, 'spec', 'pipeline')).flatMap((step) => str(at(step, 'functionRef', 'name')) ?? []),
  );
  return [...new Set(names)].sort();
}

/** The condition's status, reason and message, or undefined when the object has none. */
function condition(object: unknown, type: string) {
  const c = list(at(object, 'status', 'conditions')).find((x) => x.type === type);
  if (c === undefined) return undefined;
  return { status: str(c.status), reason: str(c.reason) ?? '', message: str(c.message) ?? '' };
}

/** `type=status (reason: message)`, for messages. */
function describeCondition(object: unknown, type: string): string {
  const c = condition(object, type);
  if (c === undefined) return `no ${type} condition yet`;
  const why = [c.reason, c.message].filter((s) => s !== '').join(': ');
  return `${type}=${c.status ?? '?'}${why === '' ? '' : ` (${why})`}`;
}

const isTrue = (object: unknown, type: string) => condition(object, type)?.status === 'True';

/** The finding for an object that could not be read: it is not known to be wrong. */
function unread(check: string, what: string, read: Read & { status: 'failed' }): Finding {
  return {
    check,
    severity: 'warning',
    message: `could not read ${what}: ${read.reason}`,
    fix: 'run preflight with a context that may read it (kubectl auth can-i get … shows which)',
  };
}

function namespaceFinding(a: ClusterAnswers): Finding {
  const ns = JSON.stringify(a.namespace);
  const read = a.namespaceObject;
  if (read.status === 'failed') return unread('namespace', `namespace ${ns}`, read);
  if (read.status === 'missing') {
    return {
      check: 'namespace',
      severity: 'error',
      message: `namespace ${ns} does not exist: the claim cannot be applied there`,
      fix: `kubectl create namespace ${a.namespace}`,
    };
  }
  const labels = at(read.object, 'metadata', 'labels');
  const enforce = str(at(labels, 'pod-security.kubernetes.io/enforce'));
  if (enforce === undefined) {
    return {
      check: 'namespace',
      severity: 'ok',
      message: `namespace ${ns} exists, with no pod-security.kubernetes.io/enforce label: the cluster's default level applies, and the pods meet "restricted", the strictest`,
    };
  }
  if (!PSA_LEVELS.includes(enforce)) {
    return {
      check: 'namespace',
      severity: 'warning',
      message: `namespace ${ns} has pod-security.kubernetes.io/enforce: ${JSON.stringify(enforce)}, not a level (${PSA_LEVELS.join(', ')}); Pod Security admission then enforces "restricted", which the pods meet`,
      fix: `kubectl label namespace ${a.namespace} --overwrite pod-security.kubernetes.io/enforce=restricted`,
    };
  }
  const version = str(at(labels, 'pod-security.kubernetes.io/enforce-version'));
  return {
    check: 'namespace',
    severity: 'ok',
    message: `namespace ${ns} exists and enforces Pod Security "${enforce}"${version === undefined ? '' : ` (version ${version})`}; the pods meet "restricted", the strictest`,
  };
}

/** The kubelet's words for a Secret or key the pod cannot have: the pod's status would say them. */
function secretFindings(a: ClusterAnswers, claim: Claim): Finding[] {
  const out: Finding[] = [];
  for (const ref of claim.spec.secrets) {
    const read = a.secrets[ref.name] ?? { status: 'missing' };
    const name = JSON.stringify(ref.name);
    if (read.status === 'failed') {
      out.push(unread('secret', `Secret ${name}`, read));
      continue;
    }
    if (read.status === 'missing') {
      out.push({
        check: 'secret',
        severity: 'error',
        message: `Secret ${name} does not exist in namespace ${JSON.stringify(a.namespace)}: every pod would stay in CreateContainerConfigError (secret ${name} not found)`,
        fix: `create it: kubectl create secret generic ${ref.name} -n ${a.namespace} --from-env-file=<file>`,
      });
      continue;
    }
    const data = at(read.object, 'data');
    const keys = Object.keys(typeof data === 'object' && data !== null ? data : {});
    const missing = ref.env.filter((m) => !keys.includes(m.secretKey));
    for (const m of missing) {
      out.push({
        check: 'secret',
        severity: 'error',
        message: `Secret ${name} has no key ${JSON.stringify(m.secretKey)}, which ${m.envName} is read from: every pod would stay in CreateContainerConfigError (couldn't find key ${m.secretKey} in Secret ${a.namespace}/${ref.name})`,
        fix: `add the key to the Secret, or fix the secretKey in spec.secretRefs (keys there: ${keys.length === 0 ? 'none' : keys.map((k) => JSON.stringify(k)).join(', ')})`,
      });
    }
    if (missing.length === 0) {
      const what = [
        ...(ref.envFrom ? ['all its keys'] : []),
        ...(ref.env.length > 0 ? [`keys ${ref.env.map((m) => m.secretKey).join(', ')}`] : []),
      ].join(' and ');
      out.push({
        check: 'secret',
        severity: 'ok',
        message: `Secret ${name} exists${what === '' ? '' : ` with ${what}`}`,
      });
    }
  }
  return out;
}

function pullSecretFindings(a: ClusterAnswers, claim: Claim): Finding[] {
  return claim.spec.imagePullSecrets.map((secret): Finding => {
    const read = a.secrets[secret] ?? { status: 'missing' };
    const name = JSON.stringify(secret);
    if (read.status === 'failed') return unread('imagePullSecret', `Secret ${name}`, read);
    if (read.status === 'missing') {
      return {
        check: 'imagePullSecret',
        severity: 'error',
        message: `pull secret ${name} does not exist in namespace ${JSON.stringify(a.namespace)}: the kubelet pulls ${claim.spec.image} without it, and a private registry refuses that (ErrImagePull)`,
        fix: `kubectl create secret docker-registry ${secret} -n ${a.namespace} --docker-server=<registry> --docker-username=<user> --docker-password=<token>`,
      };
    }
    const type = str(at(read.object, 'type')) ?? 'Opaque';
    if (!PULL_SECRET_TYPES.includes(type)) {
      return {
        check: 'imagePullSecret',
        severity: 'error',
        message: `pull secret ${name} is of type ${JSON.stringify(type)}: the kubelet uses only ${PULL_SECRET_TYPES.join(' or ')} Secrets for pulls, so it pulls without it`,
        fix: `recreate it with kubectl create secret docker-registry ${secret} -n ${a.namespace} …`,
      };
    }
    return {
      check: 'imagePullSecret',
      severity: 'ok',
      message: `pull secret ${name} exists, of type ${type}`,
    };
  });
}

/** A CRD the platform applies objects of: installed and Established, or the finding why not. */
function crdFinding(a: ClusterAnswers, check: string, name: string, install: string): Finding {
  const read = a.crds[name] ?? { status: 'missing' };
  if (read.status === 'failed') return unread(check, `CRD ${name}`, read);
  if (read.status === 'missing') {
    return {
      check,
      severity: 'error',
      message: `CRD ${name} is not installed`,
      fix: install,
    };
  }
  if (!isTrue(read.object, 'Established')) {
    return {
      check,
      severity: 'error',
      message: `CRD ${name} is not established: ${describeCondition(read.object, 'Established')}`,
      fix: `kubectl describe crd ${name}`,
    };
  }
  return { check, severity: 'ok', message: `CRD ${name} is installed and established` };
}

/** Which target the cluster runs, from the XRD that exists, and the findings for it. */
function platformFindings(a: ClusterAnswers): { target?: Target; findings: Finding[] } {
  const crossplane = crdFinding(
    a,
    'crossplane',
    CLUSTER_CRDS.crossplane,
    'install Crossplane (helm install crossplane crossplane-stable/crossplane -n crossplane-system --create-namespace)',
  );
  if (crossplane.severity !== 'ok') return { findings: [crossplane] };
  const target: Target | undefined =
    a.xrds.v2.status === 'found' ? 'v2' : a.xrds.legacy.status === 'found' ? 'legacy' : undefined;
  if (target === undefined) {
    const failed = [a.xrds.v2, a.xrds.legacy].find((r) => r.status === 'failed');
    if (failed?.status === 'failed') {
      return { findings: [unread('xrd', `XRD ${XRD_NAMES.v2}`, failed)] };
    }
    return {
      findings: [
        {
          check: 'xrd',
          severity: 'error',
          message: `the platform is not installed: neither XRD ${XRD_NAMES.v2} (Crossplane v2) nor ${XRD_NAMES.legacy} (the legacy target) exists`,
          fix: 'install it: kubectl apply -f package/platform/install.yaml (docs/crossplane.md)',
        },
      ],
    };
  }
  const xrd = a.xrds[target];
  const object = xrd.status === 'found' ? xrd.object : undefined;
  // A v2 XRD offers the claim's kind itself; the legacy one offers it as a claim of its XR.
  const needs = target === 'v2' ? ['Established'] : ['Established', 'Offered'];
  const bad = needs.filter((type) => !isTrue(object, type));
  const findings: Finding[] = [
    bad.length === 0
      ? {
          check: 'xrd',
          severity: 'ok',
          message: `XRD ${XRD_NAMES[target]} (${target === 'v2' ? 'Crossplane v2' : 'the legacy target'}) is ${needs.join(' and ').toLowerCase()}`,
        }
      : {
          check: 'xrd',
          severity: 'error',
          message: `XRD ${XRD_NAMES[target]} is not ready: ${bad.map((type) => describeCondition(object, type)).join('; ')}`,
          fix: `kubectl describe xrd ${XRD_NAMES[target]}, and Crossplane's log`,
        },
    ...compositionFindings(a, target),
  ];
  return { target, findings };
}

function compositionFindings(a: ClusterAnswers, target: Target): Finding[] {
  if (a.compositions.status === 'failed') {
    return [unread('composition', 'the Compositions', a.compositions)];
  }
  const found = compositionsOf(a.compositions, target);
  if (found.length === 0) {
    return [
      {
        check: 'composition',
        severity: 'error',
        message: `no Composition composes ${XR_KIND[target]}: Crossplane has nothing to turn the claim into a worker with`,
        fix: 'install the platform package (its Configuration brings the Composition): kubectl apply -f package/platform/install.yaml',
      },
    ];
  }
  const out: Finding[] = [
    {
      check: 'composition',
      severity: 'ok',
      message: `Composition ${found.map((c) => JSON.stringify(str(at(c, 'metadata', 'name')) ?? '?')).join(', ')} composes ${XR_KIND[target]}`,
    },
  ];
  for (const name of functionNames(a.compositions, target)) {
    const read = a.functions[name] ?? { status: 'missing' };
    const what = `Function ${JSON.stringify(name)}`;
    if (read.status === 'failed') {
      out.push(unread('function', what, read));
    } else if (read.status === 'missing') {
      out.push({
        check: 'function',
        severity: 'error',
        message: `${what}, which the Composition's pipeline calls, is not installed: every claim would fail to compose`,
        fix: 'install it: kubectl apply -f package/platform/install.yaml',
      });
    } else {
      const bad = ['Installed', 'Healthy'].filter((type) => !isTrue(read.object, type));
      out.push(
        bad.length === 0
          ? { check: 'function', severity: 'ok', message: `${what} is installed and healthy` }
          : {
              check: 'function',
              severity: 'error',
              message: `${what} is not ready: ${bad.map((type) => describeCondition(read.object, type)).join('; ')}`,
              fix: `kubectl describe function.pkg.crossplane.io ${name}, and its package's pods in Crossplane's namespace`,
            },
      );
    }
  }
  return out;
}

function kedaFindings(a: ClusterAnswers): Finding[] {
  const crd = crdFinding(
    a,
    'keda',
    CLUSTER_CRDS.keda,
    'install KEDA (helm install keda kedacore/keda -n keda --create-namespace)',
  );
  const read = a.externalMetrics;
  const api = EXTERNAL_METRICS_API;
  if (read.status === 'failed') return [crd, unread('keda.metrics', `APIService ${api}`, read)];
  if (read.status === 'missing') {
    return [
      crd,
      {
        check: 'keda.metrics',
        severity: 'error',
        message: `APIService ${api} is not registered: the HPA KEDA makes cannot read the lag, so the service never scales`,
        fix: "install KEDA with its metrics server (the Helm chart's default)",
      },
    ];
  }
  const service = at(read.object, 'spec', 'service');
  const by =
    service === undefined || service === null
      ? ''
      : ` (served by ${str(at(service, 'namespace')) ?? '?'}/${str(at(service, 'name')) ?? '?'})`;
  return [
    crd,
    isTrue(read.object, 'Available')
      ? {
          check: 'keda.metrics',
          severity: 'ok',
          message: `APIService ${api} is available${by}: the HPA can read the lag`,
        }
      : {
          check: 'keda.metrics',
          severity: 'error',
          message: `APIService ${api}${by} is not available: ${describeCondition(read.object, 'Available')}; the HPA cannot read the lag, so the service does not scale`,
          fix: "check KEDA's metrics server pods and their log (kubectl get pods -n keda)",
        },
  ];
}

/** Every cluster finding for the claim, in the order a reader fixes them. */
export function clusterFindings(a: ClusterAnswers, claim: Claim): Finding[] {
  const platform = platformFindings(a);
  const out = [
    namespaceFinding(a),
    ...secretFindings(a, claim),
    ...pullSecretFindings(a, claim),
    ...platform.findings,
    ...kedaFindings(a),
  ];
  if (claim.spec.nats.managedConsumer) {
    out.push(
      crdFinding(
        a,
        'nack',
        CLUSTER_CRDS.nack,
        "install NACK, the NATS JetStream controller (helm install nack nats/nack), or turn spec.nats.managedConsumer off: without its CRD Crossplane stops composing the claim's objects",
      ),
    );
  }
  if (claim.spec.metrics.serviceMonitor.enabled) {
    out.push(
      crdFinding(
        a,
        'prometheus',
        CLUSTER_CRDS.prometheus,
        "install the Prometheus Operator's CRDs, or turn spec.metrics.serviceMonitor off: without the CRD Crossplane stops composing the claim's objects",
      ),
    );
  }
  if (platform.target === 'legacy') {
    out.push(
      crdFinding(
        a,
        'providerKubernetes',
        CLUSTER_CRDS.providerKubernetes,
        'install provider-kubernetes (docs/crossplane.md, the legacy path): the legacy target composes its objects as its Objects',
      ),
    );
  }
  return out;
}
