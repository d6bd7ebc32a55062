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
      },
    });
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
      'activationLagThreshold with minReplicas 0, where it wakes the service',
      claimWithSpec({ scaling: { minReplicas: 0, activationLagThreshold: 10 } }),
    ],
  ])('none for %s', (_what, doc) => {
    expect(warnings(doc)).toEqual([]);
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
});
