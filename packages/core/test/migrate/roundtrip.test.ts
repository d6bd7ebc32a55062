/**
 * Round trip: for any valid claim C, migrating the objects the platform renders for C gives
 * back C up to defaults (and up to how secrets are spelled: slots or secretRefs), with every
 * field the same and nothing lost or changed.
 */
import {
  DEFAULTS,
  migrate,
  render,
  toYamlStream,
  validateClaim,
  type ClaimInput,
  type SpecInput,
} from '@eds/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validClaim } from '../arbitraries.js';

/** The claim's spec without secrets and without fields that equal their default. */
function essentials(spec: SpecInput): Record<string, unknown> {
  const nats = spec.nats;
  const scaling = spec.scaling ?? {};
  const monitor = spec.metrics?.serviceMonitor;
  const pick = <T>(value: T | undefined, fallback: T) =>
    value === undefined || value === fallback ? undefined : value;
  const out = {
    image: spec.image,
    size: pick(spec.size, DEFAULTS.size),
    nats: {
      url: pick(nats.url, DEFAULTS.natsUrl),
      stream: nats.stream,
      consumer: nats.consumer,
      account: pick(nats.account, DEFAULTS.natsAccount),
      monitoringEndpoint: pick(nats.monitoringEndpoint, DEFAULTS.natsMonitoringEndpoint),
      managedConsumer: pick(nats.managedConsumer, DEFAULTS.managedConsumer),
    },
    imagePullSecrets:
      spec.imagePullSecrets === undefined || spec.imagePullSecrets.length === 0
        ? undefined
        : spec.imagePullSecrets,
    initContainer: spec.initContainer,
    scaling: {
      minReplicas: pick(scaling.minReplicas, DEFAULTS.minReplicas),
      maxReplicas: pick(scaling.maxReplicas, DEFAULTS.maxReplicas),
      lagThreshold: pick(scaling.lagThreshold, DEFAULTS.lagThreshold),
      pollingInterval: pick(scaling.pollingInterval, DEFAULTS.pollingInterval),
      cooldownPeriod: pick(scaling.cooldownPeriod, DEFAULTS.cooldownPeriod),
      // Unset, KEDA's default applies, which is 0.
      activationLagThreshold: pick(scaling.activationLagThreshold, 0),
    },
    terminationGracePeriodSeconds: pick(
      spec.terminationGracePeriodSeconds,
      DEFAULTS.terminationGracePeriodSeconds,
    ),
    podAnnotations: spec.podAnnotations ?? {},
    availability: {
      podDisruptionBudget: pick(
        spec.availability?.podDisruptionBudget,
        DEFAULTS.podDisruptionBudget,
      ),
      topologySpread: pick(spec.availability?.topologySpread, DEFAULTS.topologySpread),
    },
    // Without enabled, the interval and labels render nothing, so nothing comes back.
    metrics: monitor?.enabled === true ? { serviceMonitor: withoutEmptyLabels(monitor) } : {},
  };
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}

const withoutEmptyLabels = <T extends { labels?: Record<string, string> }>(m: T) =>
  m.labels !== undefined && Object.keys(m.labels).length === 0 ? { ...m, labels: undefined } : m;

const withoutEmpty = (o: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(o).filter(
      ([, v]) => !(typeof v === 'object' && Object.keys(v as object).length === 0),
    ),
  );

describe('migrate(render(C))', () => {
  it('gives back C up to defaults, every field the same', () => {
    fc.assert(
      fc.property(validClaim, (doc) => {
        const valid = validateClaim(doc);
        fc.pre(valid.ok);
        const claim = valid.claim;
        const objects = render(claim, claim.spec).map((r) => r.object);
        const text = toYamlStream(objects);
        const result = migrate([{ name: 'rendered.yaml', text }]);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const { services, leftovers, lost } = result.report;
        expect({ services: services.length, leftovers, lost }).toEqual({
          services: 1,
          leftovers: [],
          lost: 0,
        });
        const [service] = services;
        if (service === undefined) return;
        const notSame = service.differences.filter((d) => d.verdict !== 'same');
        expect(notSame).toEqual([]);
        const back = validateClaim(service.claim);
        expect(back.ok).toBe(true);
        if (!back.ok) return;
        const migrated: ClaimInput = service.claim;
        expect(migrated.metadata).toEqual({
          name: claim.name,
          ...(claim.namespace === undefined ? {} : { namespace: claim.namespace }),
        });
        expect(withoutEmpty(essentials(migrated.spec))).toEqual(
          withoutEmpty(essentials(claim.input)),
        );
        // Only fields that differ from the defaults are written.
        expect(essentials(migrated.spec)).toEqual(
          JSON.parse(JSON.stringify(pickWritten(migrated.spec))),
        );
        expect(render(back.claim, back.claim.spec)).toEqual(
          withoutKedaDefaults(render(claim, claim.spec)),
        );
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * The objects without what only restates KEDA's default: `activationLagThreshold: 0` written in a
 * claim renders as "0", which a migration leaves out of the claim again (KEDA's default is 0).
 */
function withoutKedaDefaults(rendered: ReturnType<typeof render>): ReturnType<typeof render> {
  for (const { key, object } of rendered) {
    if (key !== 'scaledobject') continue;
    const { triggers } = object.spec as { triggers: { metadata: Record<string, string> }[] };
    for (const t of triggers) {
      if (t.metadata.activationLagThreshold === '0') delete t.metadata.activationLagThreshold;
    }
  }
  return rendered;
}

/** The non-secret fields exactly as the migrated claim writes them. */
function pickWritten(spec: SpecInput): Record<string, unknown> {
  return {
    image: spec.image,
    size: spec.size,
    nats: spec.nats,
    imagePullSecrets: spec.imagePullSecrets,
    initContainer: spec.initContainer,
    scaling: spec.scaling ?? {},
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
    podAnnotations: spec.podAnnotations ?? {},
    availability: spec.availability ?? {},
    metrics: spec.metrics ?? {},
  };
}
