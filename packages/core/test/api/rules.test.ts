import { validateClaim } from '@eds/core';
import { MAX_LISTED } from '../../src/api/structural.js';
import { describe, expect, it } from 'vitest';
import { claimWithSpec, minimalClaim } from '../helpers.js';

interface Case {
  readonly reason: string;
  readonly doc: unknown;
  /** Expected `path  message` lines; empty for a valid document. */
  readonly problems: readonly string[];
}

const nats = { stream: 'SIMPLE_JOBS', consumer: 'simple-workers' };
const named = (name: string) => ({ ...minimalClaim(), metadata: { name } });

const cases: Case[] = [
  { reason: 'the seed minimal claim is valid', doc: minimalClaim(), problems: [] },
  // metadata.name
  { reason: 'a DNS-1035 name is valid', doc: named('a-b-1'), problems: [] },
  {
    reason: 'a name must start with a letter (it names a Service)',
    doc: named('1worker'),
    problems: [
      'metadata.name  "1worker" is not valid: it must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
    ],
  },
  {
    reason: 'uppercase is not allowed in a name',
    doc: named('Worker'),
    problems: [
      'metadata.name  "Worker" is not valid: it must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
    ],
  },
  { reason: '56 characters leave room for "-scaler"', doc: named('a'.repeat(56)), problems: [] },
  {
    reason: '57 characters make "<name>-scaler" longer than 63',
    doc: named('a'.repeat(57)),
    problems: [
      'metadata.name  is 57 characters long; the limit is 56 so that "<name>-scaler", the ScaledObject\'s name, fits in 63',
    ],
  },
  {
    reason: 'metadata.name is required',
    doc: { ...minimalClaim(), metadata: {} },
    problems: ['metadata.name  is required'],
  },
  {
    reason: 'a namespace must be a DNS-1123 label',
    doc: { ...minimalClaim(), metadata: { name: 'w', namespace: 'My_NS' } },
    problems: [
      'metadata.namespace  "My_NS" is not valid: it must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
  },
  // apiVersion / kind
  {
    reason: 'the API version is fixed',
    doc: { ...minimalClaim(), apiVersion: 'platform.bizmatters.io/v1' },
    problems: ['apiVersion  "platform.bizmatters.io/v1" must be "platform.bizmatters.io/v1alpha1"'],
  },
  // image
  {
    reason: 'a digest reference is valid',
    doc: claimWithSpec({ image: `ghcr.io/org/app@sha256:${'a'.repeat(64)}` }),
    problems: [],
  },
  {
    reason: 'a registry with a port and an untagged image are valid',
    doc: claimWithSpec({ image: 'localhost:5000/team/app' }),
    problems: [],
  },
  {
    reason: 'an image may not contain whitespace',
    doc: claimWithSpec({ image: 'ghcr.io/org/app: v1' }),
    problems: [
      'spec.image  "ghcr.io/org/app: v1" is not valid: it must be an image reference such as "ghcr.io/org/app:v1.2.3" or "ghcr.io/org/app@sha256:<64 hex digits>" (lowercase repository, no whitespace)',
    ],
  },
  {
    reason: 'a short digest is not a digest',
    doc: claimWithSpec({ image: 'ghcr.io/org/app@sha256:abc' }),
    problems: [
      'spec.image  "ghcr.io/org/app@sha256:abc" is not valid: it must be an image reference such as "ghcr.io/org/app:v1.2.3" or "ghcr.io/org/app@sha256:<64 hex digits>" (lowercase repository, no whitespace)',
    ],
  },
  {
    reason: 'image is required',
    doc: { ...minimalClaim(), spec: { nats } },
    problems: ['spec.image  is required'],
  },
  {
    reason: 'image must be a string',
    doc: claimWithSpec({ image: 42 }),
    problems: ['spec.image  42 must be a string, not an integer'],
  },
  // size
  {
    reason: 'size is one of three presets',
    doc: claimWithSpec({ size: 'xlarge' }),
    problems: ['spec.size  "xlarge" is not one of small, medium, large'],
  },
  // nats
  {
    reason: 'stream names may not contain dots (they are subject tokens)',
    doc: claimWithSpec({ nats: { ...nats, stream: 'JOBS.v1' } }),
    problems: [
      'spec.nats.stream  "JOBS.v1" is not valid: it must be a JetStream name: no whitespace, ".", "*", ">", "/", "\\" or control characters',
    ],
  },
  {
    reason: 'consumer names may not contain wildcards',
    doc: claimWithSpec({ nats: { ...nats, consumer: 'workers>' } }),
    problems: [
      'spec.nats.consumer  "workers>" is not valid: it must be a JetStream name: no whitespace, ".", "*", ">", "/", "\\" or control characters',
    ],
  },
  {
    reason: 'nats.stream is required',
    doc: claimWithSpec({ nats: { consumer: 'c' } }),
    problems: ['spec.nats.stream  is required'],
  },
  {
    reason: 'nats.url takes several comma-separated NATS URLs',
    doc: claimWithSpec({ nats: { ...nats, url: 'nats://a:4222,tls://b:4222' } }),
    problems: [],
  },
  {
    reason: 'nats.url needs a NATS scheme',
    doc: claimWithSpec({ nats: { ...nats, url: 'http://nats:4222' } }),
    problems: [
      'spec.nats.url  "http://nats:4222" is not valid: it must be a NATS URL such as "nats://nats.nats.svc:4222" (scheme nats, tls, ws or wss; several may be comma-separated)',
    ],
  },
  {
    reason: 'the monitoring endpoint is host:port, without a scheme',
    doc: claimWithSpec({ nats: { ...nats, monitoringEndpoint: 'http://nats-headless:8222' } }),
    problems: [
      'spec.nats.monitoringEndpoint  "http://nats-headless:8222" is not valid: it must be host:port without a scheme, such as "nats-headless.nats.svc.cluster.local:8222"',
    ],
  },
  {
    reason: 'an account name follows the stream name rules',
    doc: claimWithSpec({ nats: { ...nats, account: 'my account' } }),
    problems: [
      'spec.nats.account  "my account" is not valid: it must be a JetStream name: no whitespace, ".", "*", ">", "/", "\\" or control characters',
    ],
  },
  // secrets
  {
    reason: 'slot secrets must be Kubernetes names',
    doc: claimWithSpec({ secret2Name: 'DB_Secret' }),
    problems: [
      'spec.secret2Name  "DB_Secret" is not valid: it must be a Kubernetes object name: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
    ],
  },
  {
    reason: 'pull secrets must be Kubernetes names',
    doc: claimWithSpec({ imagePullSecrets: [{ name: 'Pull Secret' }] }),
    problems: [
      'spec.imagePullSecrets[0].name  "Pull Secret" is not valid: it must be a Kubernetes object name: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
    ],
  },
  {
    reason: 'a pull secret listed twice is a mistake',
    doc: claimWithSpec({ imagePullSecrets: [{ name: 'p' }, { name: 'p' }] }),
    problems: ['spec.imagePullSecrets[1].name  "p" is listed more than once'],
  },
  {
    reason: 'secretRefs with both envFrom and env is valid',
    doc: claimWithSpec({
      secretRefs: [
        { name: 'db', envFrom: true, env: [{ secretKey: 'endpoint', envName: 'DB_HOST' }] },
      ],
    }),
    problems: [],
  },
  {
    reason: 'a secretRefs entry must mount something',
    doc: claimWithSpec({ secretRefs: [{ name: 'db' }] }),
    problems: [
      'spec.secretRefs[0]  mounts nothing from "db": set envFrom: true, list env mappings, or remove the entry',
    ],
  },
  {
    reason: 'envFrom: false and no env mounts nothing',
    doc: claimWithSpec({ secretRefs: [{ name: 'db', envFrom: false, env: [] }] }),
    problems: [
      'spec.secretRefs[0]  mounts nothing from "db": set envFrom: true, list env mappings, or remove the entry',
    ],
  },
  {
    reason: 'env names must be valid variable names',
    doc: claimWithSpec({
      secretRefs: [{ name: 'db', env: [{ secretKey: 'endpoint', envName: 'DB-HOST' }] }],
    }),
    problems: [
      'spec.secretRefs[0].env[0].envName  "DB-HOST" is not valid: it must be an environment variable name: letters, digits and "_", not starting with a digit',
    ],
  },
  {
    reason: 'secret keys must be valid Secret keys',
    doc: claimWithSpec({
      secretRefs: [{ name: 'db', env: [{ secretKey: 'a b', envName: 'DB_HOST' }] }],
    }),
    problems: [
      'spec.secretRefs[0].env[0].secretKey  "a b" is not valid: it must be a Secret key: letters, digits, "-", "_" and "."',
    ],
  },
  {
    reason: 'env names may not shadow the platform NATS variables',
    doc: claimWithSpec({
      secretRefs: [{ name: 'db', env: [{ secretKey: 'url', envName: 'NATS_CONSUMER_GROUP' }] }],
    }),
    problems: [
      'spec.secretRefs[0].env[0].envName  "NATS_CONSUMER_GROUP" is set by the platform from spec.nats; choose another name',
    ],
  },
  {
    reason:
      'env names may not shadow the shutdown deadline the platform derives from the grace period',
    doc: claimWithSpec({
      secretRefs: [
        { name: 'cfg', env: [{ secretKey: 'timeout', envName: 'EDS_SHUTDOWN_TIMEOUT_MS' }] },
      ],
    }),
    problems: [
      'spec.secretRefs[0].env[0].envName  "EDS_SHUTDOWN_TIMEOUT_MS" is set by the platform from spec.terminationGracePeriodSeconds; choose another name',
    ],
  },
  {
    reason: 'an env name may be set only once across all secretRefs',
    doc: claimWithSpec({
      secretRefs: [
        { name: 'a', env: [{ secretKey: 'host', envName: 'HOST' }] },
        { name: 'b', env: [{ secretKey: 'endpoint', envName: 'HOST' }] },
      ],
    }),
    problems: [
      'spec.secretRefs[1].env[0].envName  "HOST" is already set by spec.secretRefs[0].env[0]',
    ],
  },
  {
    reason: 'the same secret mounted in bulk twice is a mistake',
    doc: claimWithSpec({ secret1Name: 'db', secretRefs: [{ name: 'db', envFrom: true }] }),
    problems: [
      'spec.secretRefs[0].name  secret "db" is already mounted with envFrom by spec.secret1Name',
    ],
  },
  // initContainer
  {
    reason: 'an init container with only args is valid',
    doc: claimWithSpec({ initContainer: { args: ['migrate'] } }),
    problems: [],
  },
  {
    reason: 'an init container needs a command or args',
    doc: claimWithSpec({ initContainer: {} }),
    problems: ['spec.initContainer  needs a command or args (or remove initContainer)'],
  },
  {
    reason: 'an empty command list is a mistake',
    doc: claimWithSpec({ initContainer: { command: [] } }),
    problems: [
      'spec.initContainer.command  must list at least one item; remove the field to omit it',
    ],
  },
  // scaling
  {
    reason: 'scale to zero is allowed',
    doc: claimWithSpec({ scaling: { minReplicas: 0 } }),
    problems: [],
  },
  {
    reason: 'minReplicas may not exceed maxReplicas',
    doc: claimWithSpec({ scaling: { minReplicas: 5, maxReplicas: 2 } }),
    problems: [
      'spec.scaling.minReplicas  minReplicas (5) is greater than maxReplicas (2); raise maxReplicas or lower minReplicas',
    ],
  },
  {
    reason: 'minReplicas is checked against the default maxReplicas too',
    doc: claimWithSpec({ scaling: { minReplicas: 11 } }),
    problems: [
      'spec.scaling.minReplicas  minReplicas (11) is greater than the default maxReplicas (10); raise maxReplicas or lower minReplicas',
    ],
  },
  {
    reason: 'maxReplicas below the default minReplicas',
    doc: claimWithSpec({ scaling: { maxReplicas: 0 } }),
    problems: ['spec.scaling.maxReplicas  0 is below the minimum 1'],
  },
  {
    reason: 'maxReplicas equal to the default minReplicas is valid',
    doc: claimWithSpec({ scaling: { maxReplicas: 1 } }),
    problems: [],
  },
  {
    reason: 'lagThreshold is at least 1',
    doc: claimWithSpec({ scaling: { lagThreshold: 0 } }),
    problems: ['spec.scaling.lagThreshold  0 is below the minimum 1'],
  },
  {
    reason: 'negative minReplicas',
    doc: claimWithSpec({ scaling: { minReplicas: -1 } }),
    problems: ['spec.scaling.minReplicas  -1 is below the minimum 0'],
  },
  {
    reason: 'replica counts are integers',
    doc: claimWithSpec({ scaling: { maxReplicas: 2.5 } }),
    problems: ['spec.scaling.maxReplicas  2.5 must be an integer, not a number'],
  },
  {
    reason: 'the scaling timings take whole seconds within their bounds',
    doc: claimWithSpec({
      scaling: { pollingInterval: 1, cooldownPeriod: 0, minReplicas: 0, activationLagThreshold: 0 },
    }),
    problems: [],
  },
  {
    reason: 'the upper bounds of the timings and the activation threshold are accepted',
    doc: claimWithSpec({
      scaling: {
        pollingInterval: 3600,
        cooldownPeriod: 86400,
        minReplicas: 0,
        activationLagThreshold: 1000000,
      },
    }),
    problems: [],
  },
  {
    reason: 'pollingInterval is at least 1 s',
    doc: claimWithSpec({ scaling: { pollingInterval: 0 } }),
    problems: ['spec.scaling.pollingInterval  0 is below the minimum 1'],
  },
  {
    reason: 'pollingInterval is at most an hour',
    doc: claimWithSpec({ scaling: { pollingInterval: 3601 } }),
    problems: ['spec.scaling.pollingInterval  3601 is above the maximum 3600'],
  },
  {
    reason: 'cooldownPeriod is whole seconds, not a duration string',
    doc: claimWithSpec({ scaling: { cooldownPeriod: '30s' } }),
    problems: ['spec.scaling.cooldownPeriod  "30s" must be an integer, not a string'],
  },
  {
    reason: 'cooldownPeriod may not be negative',
    doc: claimWithSpec({ scaling: { cooldownPeriod: -1 } }),
    problems: ['spec.scaling.cooldownPeriod  -1 is below the minimum 0'],
  },
  {
    reason: 'cooldownPeriod is at most a day',
    doc: claimWithSpec({ scaling: { cooldownPeriod: 86401 } }),
    problems: ['spec.scaling.cooldownPeriod  86401 is above the maximum 86400'],
  },
  {
    reason: 'activationLagThreshold may not be negative',
    doc: claimWithSpec({ scaling: { minReplicas: 0, activationLagThreshold: -1 } }),
    problems: ['spec.scaling.activationLagThreshold  -1 is below the minimum 0'],
  },
  {
    reason: 'activationLagThreshold is an integer in the claim (the platform writes the string)',
    doc: claimWithSpec({ scaling: { minReplicas: 0, activationLagThreshold: '5' } }),
    problems: ['spec.scaling.activationLagThreshold  "5" must be an integer, not a string'],
  },
  {
    reason: 'termination grace period bounds',
    doc: claimWithSpec({ terminationGracePeriodSeconds: 0 }),
    problems: ['spec.terminationGracePeriodSeconds  0 is below the minimum 1'],
  },
  // unknown fields
  {
    reason: 'a miscased field gets a hint',
    doc: claimWithSpec({ secret1name: 'db' }),
    problems: ['spec.secret1name  is not a field of spec; did you mean "secret1Name"?'],
  },
  {
    reason: 'a misspelt nested field gets a hint',
    doc: claimWithSpec({ nats: { ...nats, consumr: 'x' } }),
    problems: ['spec.nats.consumr  is not a field of nats; did you mean "consumer"?'],
  },
  {
    reason: 'an unrelated unknown field lists the known ones',
    doc: claimWithSpec({ scaling: { cooldown: 30 } }),
    problems: [
      'spec.scaling.cooldown  is not a field of scaling; known fields are minReplicas, maxReplicas, lagThreshold, pollingInterval, cooldownPeriod, activationLagThreshold',
    ],
  },
  // podAnnotations
  {
    reason: 'mesh injection, metrics scraping and kubernetes.io keys meant for pods are accepted',
    doc: claimWithSpec({
      podAnnotations: {
        'sidecar.istio.io/inject': 'false',
        'linkerd.io/inject': 'enabled',
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '8080',
        'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true',
        'kubectl.kubernetes.io/default-container': 'main',
        'Example.COM/Some_Name-1.2': '',
        owner: 'team-a',
        [`${'a'.repeat(63)}.example.com/${'b'.repeat(63)}`]: 'longest parts',
      },
    }),
    problems: [],
  },
  {
    reason: 'an empty map renders nothing',
    doc: claimWithSpec({ podAnnotations: {} }),
    problems: [],
  },
  {
    reason: 'a key may not contain a space',
    doc: claimWithSpec({ podAnnotations: { 'bad key': 'x' } }),
    problems: [
      'spec.podAnnotations["bad key"]  is not a valid annotation key: the key "bad key" must be letters, digits, "-", "_" and ".", starting and ending with a letter or digit, at most 63 characters (e.g. "sidecar.istio.io/inject")',
    ],
  },
  {
    reason: 'a key has at most one "/"',
    doc: claimWithSpec({ podAnnotations: { 'a/b/c': 'x' } }),
    problems: [
      'spec.podAnnotations["a/b/c"]  is not a valid annotation key: it has more than one "/"; a key is a name, optionally after a DNS subdomain prefix and "/" (e.g. "sidecar.istio.io/inject")',
    ],
  },
  {
    reason: 'the prefix and the name are checked apart, and both reported',
    doc: claimWithSpec({
      podAnnotations: { '/inject': 'x', 'Istio_IO/-inject': 'x', 'example.com/': 'x' },
    }),
    problems: [
      'spec.podAnnotations["/inject"]  is not a valid annotation key: the prefix before "/" is empty (e.g. "sidecar.istio.io/inject")',
      'spec.podAnnotations["Istio_IO/-inject"]  is not a valid annotation key: the prefix "Istio_IO" must be a DNS subdomain: letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters; the name "-inject" must be letters, digits, "-", "_" and ".", starting and ending with a letter or digit, at most 63 characters (e.g. "sidecar.istio.io/inject")',
      'spec.podAnnotations["example.com/"]  is not a valid annotation key: the name after "/" is empty (e.g. "sidecar.istio.io/inject")',
    ],
  },
  {
    reason: 'the name has at most 63 characters and the prefix at most 253',
    doc: claimWithSpec({
      podAnnotations: {
        [`example.com/${'n'.repeat(64)}`]: 'x',
        [`${'p'.repeat(254)}/name`]: 'x',
      },
    }),
    problems: [
      `spec.podAnnotations["example.com/${'n'.repeat(64)}"]  is not a valid annotation key: the name after "/" is 64 characters long; the limit is 63 (e.g. "sidecar.istio.io/inject")`,
      `spec.podAnnotations["${'p'.repeat(254)}/name"]  is not a valid annotation key: the prefix is 254 characters long; the limit is 253 (e.g. "sidecar.istio.io/inject")`,
    ],
  },
  {
    reason: 'a value YAML reads as a boolean or number must be quoted',
    doc: claimWithSpec({
      podAnnotations: { 'prometheus.io/scrape': true, 'prometheus.io/port': 8080 },
    }),
    problems: [
      'spec.podAnnotations["prometheus.io/scrape"]  true must be a string, not a boolean; annotation values are strings, so quote it: "true"',
      'spec.podAnnotations["prometheus.io/port"]  8080 must be a string, not an integer; annotation values are strings, so quote it: "8080"',
    ],
  },
  {
    reason: 'a null value is not a string either',
    doc: claimWithSpec({ podAnnotations: { owner: null } }),
    problems: ['spec.podAnnotations.owner  null must be a string, not null'],
  },
  {
    reason: 'podAnnotations is a mapping',
    doc: claimWithSpec({ podAnnotations: ['sidecar.istio.io/inject=false'] }),
    problems: [
      'spec.podAnnotations  ["sidecar.istio.io/inject=false"] must be a mapping, not a list',
    ],
  },
  {
    reason:
      "the pod-security annotations are refused: the platform sets the pods' security context",
    doc: claimWithSpec({
      podAnnotations: {
        'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
        'container.seccomp.security.alpha.kubernetes.io/main': 'runtime/default',
        'container.apparmor.security.beta.kubernetes.io/main': 'unconfined',
        'security.alpha.kubernetes.io/sysctls': 'net.core.somaxconn=1024',
        'Container.AppArmor.Security.Beta.Kubernetes.IO/init': 'unconfined',
      },
    }),
    problems: [
      'seccomp.security.alpha.kubernetes.io/pod',
      'container.seccomp.security.alpha.kubernetes.io/main',
      'container.apparmor.security.beta.kubernetes.io/main',
      'security.alpha.kubernetes.io/sysctls',
      'Container.AppArmor.Security.Beta.Kubernetes.IO/init',
    ].map(
      (key) =>
        `spec.podAnnotations["${key}"]  is a Kubernetes pod-security annotation, and the platform sets the pods' security context itself (Pod Security Standards "restricted": RuntimeDefault seccomp, the runtime's default AppArmor profile); remove it`,
    ),
  },
  {
    reason: 'keys and values together fit in 256 KiB, counted in UTF-8 bytes',
    doc: claimWithSpec({
      podAnnotations: { a: 'x'.repeat(262_143) },
    }),
    problems: [],
  },
  {
    reason: 'one byte over 256 KiB is refused, as the API server would',
    doc: claimWithSpec({
      podAnnotations: { a: 'x'.repeat(99_999), b: 'é'.repeat(81_072) },
    }),
    problems: [
      'spec.podAnnotations  keys and values come to 262145 bytes; Kubernetes allows at most 262144 (256 KiB) of annotations on a pod: shorten or remove some',
    ],
  },
  {
    reason: 'the document must be a mapping',
    doc: ['a list'],
    problems: ['  the document must be a mapping, not a list'],
  },
];

describe('validation rules', () => {
  it.each(cases)('$reason', ({ doc, problems }) => {
    const result = validateClaim(doc);
    const lines = result.ok ? [] : result.issues.map((i) => `${i.path}  ${i.message}`);
    expect(lines).toEqual(problems);
  });

  it('reports every problem at once, not the first only', () => {
    const result = validateClaim(
      claimWithSpec({ size: 'huge', image: 'a b', scaling: { lagThreshold: 0 } }),
    );
    expect(result.ok ? [] : result.issues.map((i) => i.code).sort()).toEqual([
      'enum',
      'pattern',
      'range',
    ]);
  });

  it('applies every default to the minimal claim', () => {
    const result = validateClaim(minimalClaim());
    expect(result.ok && result.claim).toEqual({
      name: 'simple-worker',
      namespace: 'workers',
      input: minimalClaim().spec,
      spec: {
        image: 'ghcr.io/org/simple-worker:v1.0.0',
        size: 'small',
        nats: {
          url: 'nats://nats.nats.svc:4222',
          stream: 'SIMPLE_JOBS',
          consumer: 'simple-workers',
          account: '$G',
          monitoringEndpoint: 'nats-headless.nats.svc.cluster.local:8222',
          managedConsumer: false,
        },
        secrets: [],
        imagePullSecrets: [],
        scaling: {
          minReplicas: 1,
          maxReplicas: 10,
          lagThreshold: 5,
          pollingInterval: 5,
          cooldownPeriod: 300,
        },
        terminationGracePeriodSeconds: 30,
        podAnnotations: {},
        availability: { podDisruptionBudget: true, topologySpread: true },
        metrics: { serviceMonitor: { enabled: false, labels: {} } },
      },
    });
  });

  it('keeps each availability switch as written and defaults the other', () => {
    const spec = (availability: unknown) => {
      const result = validateClaim(claimWithSpec({ availability }));
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return result.claim.spec.availability;
    };
    expect(spec({ podDisruptionBudget: false })).toEqual({
      podDisruptionBudget: false,
      topologySpread: true,
    });
    expect(spec({ topologySpread: false })).toEqual({
      podDisruptionBudget: true,
      topologySpread: false,
    });
    expect(spec({})).toEqual({ podDisruptionBudget: true, topologySpread: true });
  });

  it('refuses an availability switch that is not a boolean, and an unknown one by name', () => {
    const result = validateClaim(
      claimWithSpec({ availability: { podDisruptionBudget: 'yes', topologySpred: false } }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => `${i.path}  ${i.message}`)).toEqual([
      'spec.availability.topologySpred  is not a field of availability; did you mean "topologySpread"?',
      'spec.availability.podDisruptionBudget  "yes" must be a boolean, not a string',
    ]);
  });
});

describe('warnings', () => {
  const warnings = (doc: unknown) => {
    const result = validateClaim(doc);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return result.warnings.map((w) => `${w.code} ${w.path}  ${w.message}`);
  };

  it.each([
    ['a claim without activationLagThreshold', claimWithSpec({ scaling: { minReplicas: 1 } })],
    [
      'activationLagThreshold with minReplicas 0 and a managed consumer, where it wakes the service',
      claimWithSpec({
        nats: { ...nats, managedConsumer: true },
        scaling: { minReplicas: 0, activationLagThreshold: 10 },
      }),
    ],
    [
      'a managed consumer with minReplicas above 0',
      claimWithSpec({ nats: { ...nats, managedConsumer: true } }),
    ],
  ])('none for %s', (_what, doc) => {
    expect(warnings(doc)).toEqual([]);
  });

  it.each([
    ['managedConsumer unset', nats],
    ['managedConsumer false', { ...nats, managedConsumer: false }],
  ])('minReplicas 0 with %s: valid, with a warning naming both fields', (_what, natsSpec) => {
    const doc = claimWithSpec({ nats: natsSpec, scaling: { minReplicas: 0 } });
    expect(warnings(doc)).toEqual([
      `unmanaged-consumer spec.scaling.minReplicas  0 needs a consumer that exists before any pod runs, and the first pod creates it: a new service would never start (KEDA cannot read the lag of consumer "${nats.consumer}" until it exists); set spec.nats.managedConsumer: true (needs NACK's JetStream controller), or create the consumer yourself before applying`,
    ]);
  });

  it('managedConsumer must be a boolean', () => {
    const result = validateClaim(claimWithSpec({ nats: { ...nats, managedConsumer: 'yes' } }));
    expect(result.ok ? [] : result.issues.map((i) => `${i.path}  ${i.message}`)).toEqual([
      'spec.nats.managedConsumer  "yes" must be a boolean, not a string',
    ]);
  });

  it('activationLagThreshold with the default minReplicas: valid, with a warning naming the fix', () => {
    expect(warnings(claimWithSpec({ scaling: { activationLagThreshold: 10 } }))).toEqual([
      'no-effect spec.scaling.activationLagThreshold  10 has no effect unless minReplicas is 0 (it is 1, the default): KEDA uses it only to wake a service from zero replicas; set spec.scaling.minReplicas: 0, or remove activationLagThreshold',
    ]);
  });

  it('activationLagThreshold with minReplicas 3 (even 0 as the threshold)', () => {
    const doc = claimWithSpec({ scaling: { minReplicas: 3, activationLagThreshold: 0 } });
    expect(warnings(doc)).toEqual([
      'no-effect spec.scaling.activationLagThreshold  0 has no effect unless minReplicas is 0 (it is 3): KEDA uses it only to wake a service from zero replicas; set spec.scaling.minReplicas: 0, or remove activationLagThreshold',
    ]);
  });
});

describe('validation cost on hostile strings', () => {
  const withNats = (url: string) => claimWithSpec({ nats: { ...nats, url } });

  it('answers at once for many host:port URLs ending in a bad character', () => {
    // 460 bytes of these took 11 s with the old spec.nats.url pattern; longer never finished.
    const urls = 'nats://nats-0.nats.svc:4222,'.repeat(70);
    const start = performance.now();
    const result = validateClaim(withNats(`${urls}nats://x:1 `));
    expect(performance.now() - start).toBeLessThan(1_000);
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['spec.nats.url']);
    expect(validateClaim(withNats(urls.slice(0, -1))).ok).toBe(true);
  });

  it('reports a string over its limit once, as too long, without matching its pattern', () => {
    const result = validateClaim(claimWithSpec({ image: `ghcr.io/${'a'.repeat(1_000_000)} !` }));
    expect(result.ok ? [] : result.issues.map((i) => `${i.path}  ${i.message}`)).toEqual([
      'spec.image  is 1000010 characters long; the limit is 4096',
    ]);
  });

  it('counts characters, not UTF-16 units, at the limit', () => {
    // 200 emoji are 400 UTF-16 units but 200 characters, within the 253 allowed: the pattern runs.
    const result = validateClaim(claimWithSpec({ secret1Name: '😀'.repeat(200) }));
    expect(result.ok ? [] : result.issues.map((i) => i.code)).toEqual(['pattern']);
  });
});

describe('a document with thousands of problems', () => {
  it('lists the first MAX_LISTED and counts the rest in one more issue', () => {
    const spec: Record<string, unknown> = { ...minimalClaim().spec };
    for (let i = 0; i < 30_000; i++) spec[`field${i}`] = i;
    const result = validateClaim({ ...minimalClaim(), spec });
    const issues = result.ok ? [] : result.issues;
    expect(issues).toHaveLength(MAX_LISTED + 1);
    expect(issues.slice(0, MAX_LISTED).every((i) => i.code === 'unknown-field')).toBe(true);
    expect(issues.at(-1)).toMatchObject({
      code: 'too-many',
      path: '',
      message: `${30_000 - MAX_LISTED} more problems in this document are not listed (at most ${MAX_LISTED} are); fix the listed ones first`,
      unlisted: 30_000 - MAX_LISTED,
    });
  });

  it('lists the first MAX_LISTED bad annotation keys and counts the rest', () => {
    const podAnnotations: Record<string, string> = {};
    for (let i = 0; i < 5_000; i++) podAnnotations[`bad key ${i}`] = 'x';
    const result = validateClaim(claimWithSpec({ podAnnotations }));
    const issues = result.ok ? [] : result.issues;
    expect(issues).toHaveLength(MAX_LISTED + 1);
    expect(issues.slice(0, MAX_LISTED).every((i) => i.code === 'annotation-key')).toBe(true);
    expect(issues.at(-1)).toMatchObject({
      code: 'too-many',
      path: 'spec.podAnnotations',
      message: `${5_000 - MAX_LISTED} more keys are not valid annotation keys, not listed (at most ${MAX_LISTED} are); fix the listed ones first`,
      unlisted: 5_000 - MAX_LISTED,
    });
  });

  it('answers at once for a megabyte-long annotation key, reporting its lengths', () => {
    const key = `${'a'.repeat(1_000_000)}/${'b'.repeat(1_000_000)}!`;
    const started = performance.now();
    const result = validateClaim(claimWithSpec({ podAnnotations: { [key]: 'x' } }));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result.ok ? [] : result.issues.map((i) => i.message)).toEqual([
      'is not a valid annotation key: the prefix is 1000000 characters long; the limit is 253; the name after "/" is 1000001 characters long; the limit is 63 (e.g. "sidecar.istio.io/inject")',
      'keys and values come to 2000003 bytes; Kubernetes allows at most 262144 (256 KiB) of annotations on a pod: shorten or remove some',
    ]);
  });
});
