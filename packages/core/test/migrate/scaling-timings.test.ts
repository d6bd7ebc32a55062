/**
 * A ScaledObject's timings and activation threshold → spec.scaling, case by case: KEDA's
 * defaults keep their meaning, and a value one field cannot hold is reported, never dropped.
 */
import { migrate } from '@eds/core';
import { describe, expect, it } from 'vitest';
import { cases } from './cases.js';

type Obj = Record<string, unknown>;

const WINDOW =
  'spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds';
const window = (seconds: unknown) => ({
  advanced: {
    horizontalPodAutoscalerConfig: {
      behavior: { scaleDown: { stabilizationWindowSeconds: seconds } },
    },
  },
});

/** The scaling-timings case's Deployment with a ScaledObject of this spec and trigger metadata. */
/** What validation says of every migrated claim with minReplicas 0: nothing creates the consumer. */
const ZERO_WARNING =
  'spec.scaling.minReplicas: 0 needs a consumer that exists before any pod runs, and the first pod creates it: a new service would never start (KEDA cannot read the lag of consumer "report-worker-workers" until it exists); set spec.nats.managedConsumer: true (needs NACK\'s JetStream controller), or create the consumer yourself before applying';

function migrated(spec: Obj, metadata: Obj = {}) {
  const base = cases().find((c) => c.name === 'scaling-timings');
  const deployment = base?.files[0]?.text.split('\n---\n')[0];
  if (deployment === undefined) throw new Error('golden case scaling-timings is missing');
  const scaledObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'report-worker-scaler', namespace: 'jobs' },
    spec: {
      scaleTargetRef: { name: 'report-worker' },
      minReplicaCount: 1,
      maxReplicaCount: 10,
      ...spec,
      triggers: [
        {
          type: 'nats-jetstream',
          metadata: {
            natsServerMonitoringEndpoint: 'nats-headless.nats.svc.cluster.local:8222',
            account: '$G',
            stream: 'JOBS',
            consumer: 'report-worker-workers',
            lagThreshold: '5',
            ...metadata,
          },
        },
      ],
    },
  };
  const result = migrate([
    { name: 'deployment.yaml', text: deployment },
    { name: 'scaledobject.json', text: JSON.stringify(scaledObject) },
  ]);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const [service] = result.report.services;
  if (service === undefined) throw new Error('no service migrated');
  const timings = /^spec\.(pollingInterval|cooldownPeriod|advanced|triggers.*activation)/;
  return {
    scaling: service.claim.spec.scaling,
    rows: service.differences
      .filter((d) => d.kind === 'ScaledObject' && timings.test(d.path))
      .map((d) => [d.verdict, d.path, d.before, d.after]),
    assumed: service.assumptions
      .filter((a) => a.field.startsWith('spec.scaling'))
      .map((a) => `${a.field} = ${JSON.stringify(a.value)}`),
    warnings: service.warnings,
    lost: result.report.lost,
  };
}

interface Case {
  readonly reason: string;
  readonly spec: Obj;
  readonly metadata?: Obj;
  readonly expected: ReturnType<typeof migrated>;
}

const trigger = 'spec.triggers[type=nats-jetstream].metadata.activationLagThreshold';

const table: Case[] = [
  {
    reason:
      "no timings means KEDA's: polling every 30 s is kept, the 300 s cooldowns are the claim's",
    spec: {},
    expected: {
      scaling: { pollingInterval: 30 },
      rows: [],
      assumed: ['spec.scaling.pollingInterval = 30'],
      warnings: [],
      lost: 0,
    },
  },
  {
    reason: "the claim's own values are not written",
    spec: { pollingInterval: 5, cooldownPeriod: 300, ...window(300) },
    expected: {
      scaling: undefined,
      rows: [
        ['same', 'spec.pollingInterval', 5, 5],
        ['same', 'spec.cooldownPeriod', 300, 300],
        ['same', WINDOW, 300, 300],
      ],
      assumed: [],
      warnings: [],
      lost: 0,
    },
  },
  {
    reason:
      'the window alone, with minReplicas 1, is the cooldown; the KEDA default left out was inert',
    spec: window(45),
    expected: {
      scaling: { pollingInterval: 30, cooldownPeriod: 45 },
      rows: [
        ['same', WINDOW, 45, 45],
        ['policy', 'spec.cooldownPeriod', undefined, 45],
      ],
      assumed: ['spec.scaling.pollingInterval = 30'],
      warnings: [],
      lost: 0,
    },
  },
  {
    reason:
      "with minReplicas 0 KEDA's cooldown (here its default, 300) wins and a shorter window is lost",
    spec: { minReplicaCount: 0, pollingInterval: 5, ...window(30) },
    expected: {
      scaling: { minReplicas: 0 },
      rows: [
        ['same', 'spec.pollingInterval', 5, 5],
        ['lost', WINDOW, 30, 300],
      ],
      assumed: [],
      warnings: [ZERO_WARNING],
      lost: 1,
    },
  },
  {
    reason: 'a polling interval outside 1–3600 is a warning and a loss',
    spec: { pollingInterval: 0 },
    expected: {
      scaling: undefined,
      rows: [['lost', 'spec.pollingInterval', 0, 5]],
      assumed: [],
      warnings: [
        "spec.scaling.pollingInterval: 0 is not a whole number from 1 to 3600; the claim's default applies",
      ],
      lost: 1,
    },
  },
  {
    reason: 'a window that is not a whole number is ignored, with a warning, and reported lost',
    spec: { pollingInterval: 5, cooldownPeriod: 60, ...window('1m') },
    expected: {
      scaling: { cooldownPeriod: 60 },
      rows: [
        ['same', 'spec.pollingInterval', 5, 5],
        ['same', 'spec.cooldownPeriod', 60, 60],
        ['lost', WINDOW, '1m', 60],
      ],
      assumed: [],
      warnings: [
        `spec.scaling.cooldownPeriod (from ${WINDOW}): "1m" is not a whole number from 0 to 86400; the claim ignores it`,
      ],
      lost: 1,
    },
  },
  {
    reason: 'activationLagThreshold "0" is KEDA\'s default and is not written',
    spec: { minReplicaCount: 0, pollingInterval: 5 },
    metadata: { activationLagThreshold: '0' },
    expected: {
      scaling: { minReplicas: 0 },
      rows: [
        ['same', 'spec.pollingInterval', 5, 5],
        ['same', trigger, '0', undefined],
      ],
      assumed: [],
      warnings: [ZERO_WARNING],
      lost: 0,
    },
  },
  {
    reason: 'activationLagThreshold written as a number is kept, and KEDA wants it as a string',
    spec: { minReplicaCount: 0, pollingInterval: 5 },
    metadata: { activationLagThreshold: 7 },
    expected: {
      scaling: { minReplicas: 0, activationLagThreshold: 7 },
      rows: [
        ['same', 'spec.pollingInterval', 5, 5],
        ['policy', trigger, 7, '7'],
      ],
      assumed: [],
      warnings: [ZERO_WARNING],
      lost: 0,
    },
  },
  {
    reason: 'a negative activationLagThreshold is a warning and a loss',
    spec: { minReplicaCount: 0, pollingInterval: 5 },
    metadata: { activationLagThreshold: '-1' },
    expected: {
      scaling: { minReplicas: 0 },
      rows: [
        ['same', 'spec.pollingInterval', 5, 5],
        ['lost', trigger, '-1', undefined],
      ],
      assumed: [],
      warnings: [
        'spec.scaling.activationLagThreshold: "-1" is not a whole number from 0 to 1000000; the claim\'s default applies',
        ZERO_WARNING,
      ],
      lost: 1,
    },
  },
];

describe('migrate: scaling timings', () => {
  it.each(table)('$reason', ({ spec, metadata, expected }) => {
    expect(migrated(spec, metadata)).toEqual(expected);
  });
});
