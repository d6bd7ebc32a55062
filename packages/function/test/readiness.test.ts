/**
 * One readiness rule for the Deployment (and one for the NACK Consumer), judged twice on the same table: through the CEL
 * query provider-kubernetes evaluates for legacy Objects (run by a real CEL evaluator, with
 * integers as int64 the way Kubernetes' unstructured objects carry them), and through the
 * function's verdict for v2 XRs. Expected values follow `kubectl rollout status`.
 */
import { isCelError, run, type CelInput } from '@bufbuild/cel';
import { CONSUMER_READY_CEL, DEPLOYMENT_READY_CEL } from '@eds/core';
import { consumerVerdict, deploymentVerdict } from '@eds/function';
import { describe, expect, it } from 'vitest';

type Obj = Record<string, unknown>;

/** JSON as cel-go sees an unstructured object: maps, int64 integers, lists. */
function toCel(value: unknown): CelInput {
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'object' && value !== null) {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value as CelInput;
}

const deployment = (spec: Obj, status?: Obj, generation = 3): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'simple-worker', generation },
  spec,
  ...(status === undefined ? {} : { status }),
});

const all = (n: number): Obj => ({
  observedGeneration: 3,
  replicas: n,
  updatedReplicas: n,
  readyReplicas: n,
  availableReplicas: n,
});

const states: [reason: string, deployment: Obj, ready: boolean][] = [
  ['every replica updated and available', deployment({ replicas: 3 }, all(3)), true],
  [
    'three wanted, one pod up',
    deployment(
      { replicas: 3 },
      {
        observedGeneration: 3,
        replicas: 1,
        updatedReplicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
      },
    ),
    false,
  ],
  [
    'three pods, one available',
    deployment({ replicas: 3 }, { ...all(3), readyReplicas: 1, availableReplicas: 1 }),
    false,
  ],
  [
    'the controller has not observed the latest generation',
    deployment({ replicas: 3 }, { ...all(3), observedGeneration: 2 }),
    false,
  ],
  [
    'an observed generation ahead of metadata.generation',
    deployment({ replicas: 3 }, { ...all(3), observedGeneration: 4 }),
    true,
  ],
  ['no status at all: just created', deployment({ replicas: 3 }), false],
  [
    'observed, but no replica counts yet (zero counts are omitted)',
    deployment({ replicas: 3 }, { observedGeneration: 3 }),
    false,
  ],
  [
    'half-way through a rollout: old pods still available',
    deployment({ replicas: 3 }, { ...all(3), updatedReplicas: 1 }),
    false,
  ],
  [
    'surge: the new pods are up, an old one still runs',
    deployment({ replicas: 3 }, { ...all(3), replicas: 4, availableReplicas: 4 }),
    false,
  ],
  [
    'scaled to zero (zero counts omitted)',
    deployment({ replicas: 0 }, { observedGeneration: 3 }),
    true,
  ],
  ['scaled to zero (zero counts written)', deployment({ replicas: 0 }, all(0)), true],
  [
    'scaled to zero while an old pod of an earlier rollout still runs',
    deployment(
      { replicas: 0 },
      { observedGeneration: 3, replicas: 1, updatedReplicas: 0, availableReplicas: 1 },
    ),
    false,
  ],
  [
    'scaled to zero, but the controller has not observed it',
    deployment({ replicas: 0 }, { ...all(1), observedGeneration: 2 }),
    false,
  ],
  ['spec.replicas absent means 1', deployment({}, all(1)), true],
  ['spec.replicas absent means 1: no pod yet', deployment({}, { observedGeneration: 3 }), false],
];

describe('Deployment readiness', () => {
  it.each(states)('CEL query: %s', (_reason, object, ready) => {
    const result = run(DEPLOYMENT_READY_CEL, { object: toCel(object) });
    // An evaluation error would also leave the Object unavailable, but with the error as its
    // message: the query must answer every state with a boolean.
    expect(isCelError(result) ? result.message : result).toBe(ready);
  });

  it.each(states)('function verdict: %s', (_reason, object, ready) => {
    expect(deploymentVerdict(object).ready).toBe(ready);
  });
});

const consumer = (status?: Obj, generation = 2): Obj => ({
  apiVersion: 'jetstream.nats.io/v1beta2',
  kind: 'Consumer',
  metadata: { name: 'reports', generation },
  spec: { streamName: 'REPORTS', durableName: 'report-builders' },
  ...(status === undefined ? {} : { status }),
});
const ready = (
  status: string,
  observedGeneration: number,
  message = 'Consumer successfully created or updated.',
) => ({
  observedGeneration,
  conditions: [
    { type: 'Ready', status, reason: status === 'True' ? 'Created' : 'Errored', message },
  ],
});

/** NACK's statuses (internal/controller/consumer_controller.go, controllers/jetstream/consumer.go). */
const consumerStates: [string, Obj, boolean, string][] = [
  [
    'NACK has not seen it',
    consumer(),
    false,
    "NACK has not reported on the Consumer yet: is NACK's JetStream controller running?",
  ],
  [
    'reconciling (control loop: Unknown, observedGeneration 0)',
    consumer({
      observedGeneration: 0,
      conditions: [
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'Reconciling',
          message: 'Starting reconciliation',
        },
      ],
    }),
    false,
    "NACK has not applied the Consumer's generation 2 yet",
  ],
  [
    'created for this generation',
    consumer(ready('True', 2)),
    true,
    'Consumer successfully created or updated.',
  ],
  [
    'created for an older generation',
    consumer(ready('True', 1)),
    false,
    "NACK has not applied the Consumer's generation 2 yet",
  ],
  [
    'errored: the stream does not exist',
    consumer(ready('False', 2, 'create or update consumer: stream not found')),
    false,
    'NACK: create or update consumer: stream not found',
  ],
  [
    'a status without conditions',
    consumer({ observedGeneration: 2 }),
    false,
    "NACK has not reported on the Consumer yet: is NACK's JetStream controller running?",
  ],
];

describe('Consumer readiness', () => {
  it.each(consumerStates)('CEL query: %s', (_what, object, isReady) => {
    const result = run(CONSUMER_READY_CEL, { object: toCel(object) });
    expect(isCelError(result) ? result.message : result).toBe(isReady);
  });

  it.each(consumerStates)('function verdict: %s', (_what, object, isReady, message) => {
    expect(consumerVerdict(object)).toMatchObject({ ready: isReady, message });
  });

  it('names what to install when the Consumer never appears', () => {
    expect(consumerVerdict(undefined).message).toBe(
      "Consumer has not been created yet; it needs NACK's CRD (consumers.jetstream.nats.io) and JetStream controller: install NACK (e.g. helm install nack nats/nack --set jetstream.additionalArgs={--control-loop}), or set spec.nats.managedConsumer: false",
    );
  });
});
