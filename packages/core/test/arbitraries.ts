/** fast-check generators for valid claims, shared by property tests. */
import fc from 'fast-check';

const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/);
const secretName = fc
  .stringMatching(/^[a-z0-9]([-a-z0-9.]{0,20}[a-z0-9])?$/)
  .filter((s) => !s.includes('..') && !s.includes('.-') && !s.includes('-.'));
const natsName = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
const envName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,15}$/).filter((n) => !n.startsWith('NATS_'));
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
const image = fc
  .tuple(
    fc.constantFrom('ghcr.io/org', 'registry.example.com:5000/team', 'docker.io/library', 'app'),
    label,
    fc.option(tag, { nil: undefined }),
  )
  .map(([repo, name, t]) => `${repo}/${name}${t === undefined ? '' : `:${t}`}`);

const secretRef = fc.record(
  {
    name: secretName,
    envFrom: fc.boolean(),
    env: fc.array(
      fc.record({ secretKey: fc.stringMatching(/^[a-z][a-z0-9_.-]{0,10}$/), envName }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: ['name'] },
);

const scaling = fc.record(
  {
    minReplicas: fc.integer({ min: 0, max: 10 }),
    maxReplicas: fc.integer({ min: 10, max: 100 }),
    lagThreshold: fc.integer({ min: 1, max: 1000 }),
    pollingInterval: fc.integer({ min: 1, max: 3600 }),
    cooldownPeriod: fc.integer({ min: 0, max: 86400 }),
    activationLagThreshold: fc.integer({ min: 0, max: 1_000_000 }),
  },
  { requiredKeys: [] },
);

/** Annotation keys: a qualified name, with or without a DNS subdomain prefix. */
const annotationKey = fc
  .tuple(
    fc.option(fc.constantFrom('sidecar.istio.io', 'prometheus.io', 'example.com', 'a.b-c.d'), {
      nil: undefined,
    }),
    fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/),
  )
  .map(([prefix, name]) => (prefix === undefined ? name : `${prefix}/${name}`));

/** ServiceMonitor label keys: anything but the platform's own (app.kubernetes.io/name, …). */
const monitorLabelKey = fc.oneof(
  fc.constantFrom('release', 'team', 'example.com/tier', 'app.kubernetes.io/part-of'),
  label,
);
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?)?$/);

/** Specs the API accepts, covering every optional field. */
export const validSpec = fc
  .record(
    {
      image,
      size: fc.constantFrom('small', 'medium', 'large'),
      nats: fc.record(
        {
          stream: natsName,
          consumer: natsName,
          url: fc.constantFrom('nats://nats.nats.svc:4222', 'tls://a:4222,tls://b:4222'),
          account: fc.constantFrom('$G', 'APP'),
          monitoringEndpoint: fc.constantFrom(
            'nats-headless.nats.svc.cluster.local:8222',
            'mon:8222',
          ),
          managedConsumer: fc.boolean(),
        },
        { requiredKeys: ['stream', 'consumer'] },
      ),
      secret1Name: secretName,
      secret2Name: secretName,
      secret3Name: secretName,
      secret4Name: secretName,
      secret5Name: secretName,
      secretRefs: fc.array(secretRef, { maxLength: 4 }),
      imagePullSecrets: fc
        .uniqueArray(secretName, { maxLength: 2 })
        .map((names) => names.map((name) => ({ name }))),
      initContainer: fc.oneof(
        fc.record({
          command: fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 3 }),
        }),
        fc.record({ args: fc.array(fc.string(), { minLength: 1, maxLength: 3 }) }),
        fc.record({
          command: fc.constant(['/bin/sh', '-c']),
          args: fc.array(fc.string(), { minLength: 1, maxLength: 2 }),
        }),
      ),
      scaling,
      terminationGracePeriodSeconds: fc.integer({ min: 1, max: 3600 }),
      podAnnotations: fc.dictionary(annotationKey, fc.string(), { maxKeys: 4 }),
      availability: fc.record(
        { podDisruptionBudget: fc.boolean(), topologySpread: fc.boolean() },
        { requiredKeys: [] },
      ),
      metrics: fc.record(
        {
          serviceMonitor: fc.record(
            {
              enabled: fc.boolean(),
              interval: fc.constantFrom('0', '15s', '1m', '1m30s', '2h'),
              labels: fc.dictionary(monitorLabelKey, labelValue, { maxKeys: 3 }),
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['image', 'nats'] },
  )
  .map((spec) => dropConflicts(spec));

/** Removes what cross-field rules forbid: empty secretRefs entries, duplicate names. */
function dropConflicts<T extends Record<string, unknown>>(spec: T): T {
  const out: Record<string, unknown> = { ...spec };
  const bulk = new Set<string>();
  for (const slot of ['secret1Name', 'secret2Name', 'secret3Name', 'secret4Name', 'secret5Name']) {
    const name = out[slot];
    if (typeof name !== 'string') continue;
    if (bulk.has(name)) out[slot] = undefined;
    else bulk.add(name);
  }
  const envNames = new Set<string>();
  const refs =
    (out.secretRefs as
      { name: string; envFrom?: boolean; env?: { envName: string }[] }[] | undefined) ?? [];
  const kept = refs
    .map((r) => {
      const env = (r.env ?? []).filter((m) => !envNames.has(m.envName) && envNames.add(m.envName));
      const envFrom = r.envFrom === true && !bulk.has(r.name) && Boolean(bulk.add(r.name));
      return {
        name: r.name,
        ...(envFrom ? { envFrom: true } : {}),
        ...(env.length > 0 ? { env } : {}),
      };
    })
    .filter((r) => r.envFrom === true || r.env !== undefined);
  if (out.secretRefs !== undefined) out.secretRefs = kept;
  return out as T;
}

export const validClaim = fc.record({
  apiVersion: fc.constant('platform.bizmatters.io/v1alpha1'),
  kind: fc.constant('EventDrivenService'),
  metadata: fc.record({ name: label, namespace: label }, { requiredKeys: ['name'] }),
  spec: validSpec,
});
