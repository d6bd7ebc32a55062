/**
 * The consumer a claim with `spec.nats.managedConsumer` composes (a NACK Consumer) is the one the
 * worker would have created: read as NACK turns the Consumer's spec into a JetStream consumer
 * config, it shows no difference to the worker's settings, so the worker binds to it unchanged.
 * (The cluster suite's scale-to-zero test runs NACK's own controller and the worker against it.)
 */
import { AckPolicy, DeliverPolicy, type ConsumerConfig } from '@nats-io/jetstream';
import { render, validateClaim } from '@eds/core';
import { describe, expect, it } from 'vitest';
import {
  compareConsumerConfig,
  desiredConsumerConfig,
  unusableReason,
} from '../src/consumer-config.js';
import { resolveSettings } from '../src/settings-parse.js';

const NS_PER_S = 1_000_000_000;

function composedConsumer(): Record<string, unknown> {
  const result = validateClaim({
    apiVersion: 'platform.bizmatters.io/v1alpha1',
    kind: 'EventDrivenService',
    metadata: { name: 'reports', namespace: 'work' },
    spec: {
      image: 'ghcr.io/org/reports:1.0.0',
      nats: { stream: 'REPORTS', consumer: 'report-builders', managedConsumer: true },
      scaling: { minReplicas: 0 },
    },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const consumer = render(result.claim, result.claim.spec).find((r) => r.key === 'consumer');
  if (consumer === undefined) throw new Error('no Consumer rendered');
  return consumer.object['spec'] as Record<string, unknown>;
}

/** NACK's mapping of the fields eds sets (internal/controller/consumer_controller.go, v0.22.4). */
function asNackCreates(spec: Record<string, unknown>): Partial<ConsumerConfig> {
  const ackWait = /^(\d+)s$/.exec(String(spec['ackWait']));
  if (ackWait === null) throw new Error(`ackWait ${String(spec['ackWait'])} is not whole seconds`);
  return {
    durable_name: spec['durableName'] as string,
    ack_policy: spec['ackPolicy'] as AckPolicy,
    deliver_policy: spec['deliverPolicy'] as DeliverPolicy,
    ack_wait: Number(ackWait[1]) * NS_PER_S,
    max_deliver: spec['maxDeliver'] as number,
  };
}

describe('a managed consumer', () => {
  const settings = resolveSettings({
    NATS_STREAM_NAME: 'REPORTS',
    NATS_CONSUMER_GROUP: 'report-builders',
  });
  const created = asNackCreates(composedConsumer());

  it('has the settings the worker would have created', () => {
    expect(created).toEqual(desiredConsumerConfig(settings));
    expect(created.ack_policy).toBe(AckPolicy.Explicit);
    expect(created.deliver_policy).toBe(DeliverPolicy.All);
  });

  it('is one the worker binds to with no difference reported', () => {
    expect(compareConsumerConfig(created, settings)).toEqual([]);
    expect(unusableReason(created)).toBeUndefined();
  });

  it('is a pull consumer on the claim’s stream, kept when the claim goes', () => {
    const spec = composedConsumer();
    expect(spec['streamName']).toBe('REPORTS');
    expect(spec).not.toHaveProperty('deliverSubject');
    expect(spec['preventDelete']).toBe(true);
  });
});
