import { jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ConsumerInfo, JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection, NodeConnectionOptions } from '@nats-io/transport-node';

/** A test client that keeps reconnecting; `options` (e.g. `user`, `pass`) are added as they are. */
export async function connectClient(
  url: string,
  options: NodeConnectionOptions = {},
): Promise<NatsConnection> {
  return connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 250, ...options });
}

/** A file-backed work-queue stream, as the platform uses for jobs. */
export async function createStream(
  nc: NatsConnection,
  name: string,
  subjects: string[],
  retention: RetentionPolicy = RetentionPolicy.Workqueue,
): Promise<JetStreamManager> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name, subjects, retention, storage: StorageType.File });
  return jsm;
}

/** Publishes `{id}` JSON jobs with up to `window` publishes awaiting their acks at once. */
export async function publishJobs(
  nc: NatsConnection,
  subject: string,
  ids: readonly string[],
  window = 200,
): Promise<void> {
  const js = jetstream(nc);
  for (let i = 0; i < ids.length; i += window) {
    await Promise.all(
      ids
        .slice(i, i + window)
        .map((id) => js.publish(subject, JSON.stringify({ id }), { msgID: id })),
    );
  }
}

export async function consumerInfo(
  nc: NatsConnection,
  stream: string,
  consumer: string,
): Promise<ConsumerInfo> {
  const jsm = await jetstreamManager(nc);
  return jsm.consumers.info(stream, consumer);
}

export function jobIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);
}
