/**
 * The JetStream calls `eds dev` makes itself: creating the stream when asked, and publishing
 * test messages at a steady rate. The worker makes its consumer, as it does in a cluster, unless
 * the claim has `nats.managedConsumer`: then `eds dev` makes it from the rendered NACK Consumer,
 * as NACK would, so that KEDA can read its lag before any replica runs.
 */
import { parseGoDuration, render, type Claim } from '@eds/core';
import {
  AckPolicy,
  DeliverPolicy,
  jetstreamManager,
  RetentionPolicy,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface Client {
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
}

export async function connectClient(url: string): Promise<Client> {
  const nc = await connect({ servers: url, name: 'eds-dev' });
  return { nc, jsm: await jetstreamManager(nc) };
}

/** Creates the work-queue stream on `subjects` unless it exists; says which it did. */
export async function ensureStream(c: Client, name: string, subjects: readonly string[]) {
  try {
    const info = await c.jsm.streams.info(name);
    return { created: false, subjects: info.config.subjects };
  } catch {
    await c.jsm.streams.add({
      name,
      subjects: [...subjects],
      retention: RetentionPolicy.Workqueue,
    });
    return { created: true, subjects: [...subjects] };
  }
}

/** `subject` with each wildcard token (`*`, `>`) made `dev`: one a message can be published to. */
export function concreteSubject(subject: string): string {
  return subject
    .split('.')
    .map((token) => (token === '*' || token === '>' ? 'dev' : token))
    .join('.');
}

/**
 * A subject of the stream to publish to: its first, with each wildcard token (`*`, `>`) made
 * `dev`; undefined when the stream does not exist.
 */
export async function firstSubject(c: Client, stream: string): Promise<string | undefined> {
  try {
    const info = await c.jsm.streams.info(stream);
    const first = info.config.subjects[0];
    return first === undefined ? undefined : concreteSubject(first);
  } catch {
    return undefined;
  }
}

/**
 * Publishes `count` messages (Infinity: until stopped) at `rate` per second, spread evenly, each
 * a JSON body `{"n": i}` with a `Nats-Msg-Id`, so a retried publish is stored once.
 */
export function publishAtRate(
  c: Client,
  subject: string,
  rate: number,
  count: number,
  runId: string,
  onError: (message: string) => void,
): { readonly sent: () => number; stop(): Promise<void> } {
  const js = c.jsm.jetstream();
  const started = Date.now();
  let sent = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped && sent < count) {
      const due = Math.min(count, Math.floor(((Date.now() - started) / 1000) * rate) + 1);
      while (sent < due && !stopped) {
        const n = sent;
        try {
          await js.publish(subject, JSON.stringify({ n }), { msgID: `${runId}-${n}` });
          sent += 1;
        } catch (e) {
          onError(`publish to ${subject} failed: ${e instanceof Error ? e.message : String(e)}`);
          stopped = true;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(5, Math.min(100, 1000 / rate))));
    }
  })();
  return {
    sent: () => sent,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

interface ConsumerSpec {
  readonly durableName: string;
  readonly ackWait: string;
  readonly maxDeliver: number;
}

/**
 * For a claim with `nats.managedConsumer`: the consumer as NACK creates it from the rendered
 * Consumer (explicit acks, every message, its ack wait and delivery limit). `undefined` for a
 * claim without it; otherwise whether it was created, already existed, or has no stream yet.
 */
export async function ensureManagedConsumer(
  c: Client,
  claim: Claim,
): Promise<'created' | 'exists' | 'no-stream' | undefined> {
  const object = render(claim, claim.spec).find((r) => r.object.kind === 'Consumer')?.object as
    { spec: ConsumerSpec } | undefined;
  if (object === undefined) return undefined;
  const { stream } = claim.spec.nats;
  const spec = object.spec;
  try {
    await c.jsm.streams.info(stream);
  } catch {
    return 'no-stream';
  }
  try {
    await c.jsm.consumers.info(stream, spec.durableName);
    return 'exists';
  } catch {
    await c.jsm.consumers.add(stream, {
      durable_name: spec.durableName,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: parseGoDuration(spec.ackWait) ?? 30e9,
      max_deliver: spec.maxDeliver,
    });
    return 'created';
  }
}
