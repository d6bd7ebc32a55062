/**
 * A ServiceMonitor and a NACK Consumer in the manifests, case by case: which ones belong to the
 * service, what the claim carries, and what the report says of the rest. The inputs are the
 * service-monitor and managed-consumer golden cases with one object changed.
 */
import { migrate, type Difference, type ServiceMigration } from '@eds/core';
import { describe, expect, it } from 'vitest';
import { parseGoDuration, sameDuration } from '../../src/migrate/duration.js';
import { cases } from './cases.js';

type Obj = Record<string, unknown>;

/** The first documents of a golden case's first input file: its Deployment (and Service). */
function base(name: string, documents: number): string {
  const file = cases()
    .find((c) => c.name === name)
    ?.files.find((f) => f.name !== 'monitoring.yaml');
  if (file === undefined) throw new Error(`golden case ${name} is missing`);
  return file.text.split('\n---\n').slice(0, documents).join('\n---\n');
}

function migrated(name: string, documents: number, extra: readonly Obj[]) {
  const result = migrate([
    { name: 'service.yaml', text: base(name, documents) },
    ...extra.map((o, i) => ({ name: `extra-${i}.json`, text: JSON.stringify(o) })),
  ]);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const [service] = result.report.services;
  if (service === undefined) throw new Error('no service migrated');
  return { service, leftovers: result.report.leftovers };
}

const rows = (s: ServiceMigration, kind: string): Difference[] =>
  s.differences.filter((d) => d.kind === kind);

const monitor = (spec: Obj, metadata: Obj = {}): Obj => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'orders', namespace: 'shop', ...metadata },
  spec: { selector: { matchLabels: { app: 'orders' } }, ...spec },
});

describe('a ServiceMonitor in the manifests', () => {
  it('scraping the worker by the Service port name turns the ServiceMonitor on, with nothing lost', () => {
    const { service, leftovers } = migrated('service-monitor', 3, [
      monitor({ endpoints: [{ port: 'web' }] }, { labels: { release: 'prom' } }),
    ]);
    expect(service.claim.spec.metrics).toEqual({
      serviceMonitor: { enabled: true, labels: { release: 'prom' } },
    });
    expect(leftovers).toEqual([]);
    expect(rows(service, 'ServiceMonitor').filter((d) => d.verdict === 'lost')).toEqual([]);
  });

  it('scraping the container port by number (targetPort) is the same endpoint', () => {
    const { service } = migrated('service-monitor', 3, [
      monitor({ endpoints: [{ targetPort: 8080, interval: '1m' }] }),
    ]);
    expect(service.claim.spec.metrics?.serviceMonitor).toEqual({ enabled: true, interval: '1m' });
    expect(
      rows(service, 'ServiceMonitor').find((d) => d.path.endsWith('.targetPort')),
    ).toMatchObject({
      verdict: 'policy',
    });
  });

  it('an interval the claim cannot hold stays out of the claim and is reported lost', () => {
    const { service } = migrated('service-monitor', 3, [
      monitor({ endpoints: [{ port: 'web', interval: '30sec' }] }),
    ]);
    expect(service.claim.spec.metrics?.serviceMonitor).toEqual({ enabled: true });
    expect(rows(service, 'ServiceMonitor').find((d) => d.path.endsWith('.interval'))).toMatchObject(
      {
        verdict: 'lost',
        before: '30sec',
      },
    );
  });

  it('a label Kubernetes refuses, or one the platform sets itself, is not carried', () => {
    const { service } = migrated('service-monitor', 3, [
      monitor(
        { endpoints: [{ port: 'web' }] },
        { labels: { 'app.kubernetes.io/name': 'orders', 'bad key': 'x', team: 'a' } },
      ),
    ]);
    expect(service.claim.spec.metrics?.serviceMonitor?.labels).toEqual({ team: 'a' });
  });

  it('a path other than /metrics is lost', () => {
    const { service } = migrated('service-monitor', 3, [
      monitor({ endpoints: [{ port: 'web', path: '/prometheus' }] }),
    ]);
    expect(rows(service, 'ServiceMonitor').find((d) => d.path.endsWith('.path'))).toMatchObject({
      verdict: 'lost',
      before: '/prometheus',
      after: '/metrics',
    });
  });

  it.each([
    ['scrapes another port only', monitor({ endpoints: [{ port: 'admin' }] })],
    [
      'selects other labels',
      monitor({ selector: { matchLabels: { app: 'x' } }, endpoints: [{ port: 'web' }] }),
    ],
    [
      'sits in another namespace without a namespaceSelector',
      monitor({ endpoints: [{ port: 'web' }] }, { namespace: 'monitoring' }),
    ],
    [
      'watches other namespaces',
      monitor(
        { endpoints: [{ port: 'web' }], namespaceSelector: { matchNames: ['other'] } },
        { namespace: 'monitoring' },
      ),
    ],
    [
      "is not the Prometheus Operator's",
      { ...monitor({ endpoints: [{ port: 'web' }] }), apiVersion: 'example.com/v1' },
    ],
  ])('that %s is a leftover, and the claim composes none', (_, object) => {
    const { service, leftovers } = migrated('service-monitor', 3, [object]);
    expect(service.claim.spec.metrics).toBeUndefined();
    expect(leftovers.map((l) => l.kind)).toEqual(['ServiceMonitor']);
    expect(rows(service, 'ServiceMonitor')).toEqual([]);
  });

  it('without the Service it selects, it is a leftover', () => {
    const { service, leftovers } = migrated('service-monitor', 1, [
      monitor({ endpoints: [{ port: 'web' }] }),
    ]);
    expect(service.claim.spec.metrics).toBeUndefined();
    expect(leftovers).toMatchObject([{ kind: 'ServiceMonitor', name: 'orders' }]);
  });
});

const consumer = (spec: Obj, apiVersion = 'jetstream.nats.io/v1beta2'): Obj => ({
  apiVersion,
  kind: 'Consumer',
  metadata: { name: 'billing-consumer', namespace: 'finance' },
  spec: { streamName: 'INVOICES', durableName: 'billing-workers', ...spec },
});

const ZERO_WARNING = 'spec.scaling.minReplicas: 0 needs a consumer that exists before any pod runs';

describe('a NACK Consumer in the manifests', () => {
  it("declaring the worker's consumer sets managedConsumer, and minReplicas 0 gets no warning", () => {
    const { service } = migrated('managed-consumer', 2, [
      consumer({ ackPolicy: 'explicit', ackWait: '0.5m', maxDeliver: 5 }),
    ]);
    expect(service.claim.spec.nats.managedConsumer).toBe(true);
    expect(service.warnings.filter((w) => w.startsWith(ZERO_WARNING))).toEqual([]);
    expect(rows(service, 'Consumer').filter((d) => d.verdict === 'lost')).toEqual([]);
  });

  it('without one, minReplicas 0 keeps the warning', () => {
    const { service } = migrated('managed-consumer', 2, []);
    expect(service.claim.spec.nats.managedConsumer).toBeUndefined();
    expect(service.warnings.filter((w) => w.startsWith(ZERO_WARNING))).toHaveLength(1);
  });

  it("left at NACK's defaults, the ack policy and wait are platform policy, not losses", () => {
    const { service } = migrated('managed-consumer', 2, [consumer({})]);
    const byField = Object.fromEntries(rows(service, 'Consumer').map((d) => [d.path, d]));
    expect(byField['spec.ackPolicy']).toMatchObject({ verdict: 'policy', after: 'explicit' });
    expect(byField['spec.ackWait']).toMatchObject({ verdict: 'policy', after: '30s' });
  });

  it.each([
    ['deliverPolicy', 'new'],
    ['ackWait', '1m'],
    ['deliverSubject', 'push.billing'],
    ['backoff', ['1s', '5s']],
    ['filterSubjects', ['invoices.a', 'invoices.b']],
    ['servers', ['nats://elsewhere:4222']],
  ])('%s %j is lost, with the value', (field, value) => {
    const { service } = migrated('managed-consumer', 2, [consumer({ [field]: value })]);
    expect(rows(service, 'Consumer').find((d) => d.path === `spec.${field}`)).toMatchObject({
      verdict: 'lost',
      before: value,
    });
  });

  it('a v1beta1 Consumer of the same durable consumer is recognised', () => {
    const { service, leftovers } = migrated('managed-consumer', 2, [
      consumer({ ackPolicy: 'explicit', ackWait: '30s' }, 'jetstream.nats.io/v1beta1'),
    ]);
    expect(service.claim.spec.nats.managedConsumer).toBe(true);
    expect(leftovers).toEqual([]);
  });

  it.each([
    ['another durable name', consumer({ durableName: 'other' })],
    ['another namespace', { ...consumer({}), metadata: { name: 'c', namespace: 'other' } }],
    ['another API group', { ...consumer({}), apiVersion: 'example.com/v1' }],
  ])('one with %s is a leftover', (_, object) => {
    const { service, leftovers } = migrated('managed-consumer', 2, [object]);
    expect(service.claim.spec.nats.managedConsumer).toBeUndefined();
    expect(leftovers.map((l) => l.kind)).toEqual(['Consumer']);
  });

  it('a second Consumer of the same durable consumer is a leftover that says why', () => {
    const { leftovers } = migrated('managed-consumer', 2, [
      consumer({}),
      { ...consumer({}), metadata: { name: 'billing-again', namespace: 'finance' } },
    ]);
    expect(leftovers.map((l) => [l.kind, l.name])).toEqual([['Consumer', 'billing-again']]);
    expect(leftovers[0]?.reason).toContain('another Consumer already declares');
  });
});

describe('Go durations, as NACK reads ackWait', () => {
  it.each([
    ['30s', 30e9],
    ['30000ms', 30e9],
    ['0.5m', 30e9],
    ['1h2m3.5s', 3723.5e9],
    ['.5s', 0.5e9],
    ['-1.5h', -5400e9],
    ['+5m', 300e9],
    ['1µs', 1e3],
    ['1us', 1e3],
    ['0', 0],
  ])('%s is %d ns', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns);
  });

  it.each(['', '1', '1x', 's', '1.5', '1 s', '-', 'ms5'])('%j is not one', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  it('compares by value, and as text when either is not a duration', () => {
    expect(sameDuration('30s', '30000ms')).toBe(true);
    expect(sameDuration('30s', '31s')).toBe(false);
    expect(sameDuration('soon', 'soon')).toBe(true);
    expect(sameDuration('soon', '30s')).toBe(false);
  });
});
