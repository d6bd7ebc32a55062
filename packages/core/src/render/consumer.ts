import { objectMeta } from './labels.js';
import type { KubeObject, RenderContext } from './types.js';

/**
 * The ack wait the worker gives a consumer it creates (`@eds/worker` default `ackWaitMs`,
 * 30 000 ms, as `EDS_ACK_WAIT_MS`), as the Go duration NACK's `ackWait` takes. Always written:
 * NACK's CRD defaults a missing `ackWait` to `1ns`, which redelivers every message at once.
 * @see https://github.com/nats-io/nack/blob/v0.22.4/deploy/crds.yml
 */
export const CONSUMER_ACK_WAIT = '30s';

/** The delivery limit the worker gives a consumer it creates (`@eds/worker` `maxDeliver`). */
export const CONSUMER_MAX_DELIVER = 5;

/**
 * The durable consumer as a NACK `Consumer` (`jetstream.nats.io/v1beta2`), composed only with
 * `spec.nats.managedConsumer`, so the consumer exists before any pod runs and KEDA can read its
 * lag at zero replicas (ADR 9). It has exactly the settings the worker would have created
 * (packages/worker/src/consumer-config.ts): durable, pull (no deliver subject), explicit acks
 * (NACK's default is `none`), every message from the start, the worker's ack wait and delivery
 * limit; the worker finds it and binds to it unchanged.
 *
 * `servers` is the claim's NATS URL, which NACK uses in `--control-loop` mode and with
 * `--crd-connect`. `preventDelete`: deleting the claim deletes this object but leaves the
 * server's consumer and its acknowledged position, which for a work queue is data; remove it with
 * `nats consumer rm`.
 */
export function renderConsumer(ctx: RenderContext): KubeObject {
  const { nats } = ctx.spec;
  return {
    apiVersion: 'jetstream.nats.io/v1beta2',
    kind: 'Consumer',
    metadata: objectMeta(ctx.service.name, ctx.service, ctx.labels),
    spec: {
      streamName: nats.stream,
      durableName: nats.consumer,
      ackPolicy: 'explicit',
      deliverPolicy: 'all',
      ackWait: CONSUMER_ACK_WAIT,
      maxDeliver: CONSUMER_MAX_DELIVER,
      servers: [nats.url],
      preventDelete: true,
    },
  };
}
