import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { Consumer, ConsumerInfo, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { compareConsumerConfig, desiredConsumerConfig, unusableReason } from './consumer-config.js';
import { deliveryTerms } from './delivery-terms.js';
import type { DeliveryTerms } from './delivery-terms.js';
import { ConsumerSetupError } from './errors.js';
import type { WorkerSettings } from './settings.js';

export function isApiError(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

/** A consumer to pull from, and the terms it was found (or created) with. */
export interface BoundConsumer {
  readonly consumer: Consumer;
  readonly terms: DeliveryTerms;
}

/**
 * Finds the durable pull consumer, creating it only when it is missing, and returns a handle to
 * pull from it with its delivery terms. An existing consumer is read (never rewritten), its
 * differences from the worker's settings are logged, and its terms are the ones the worker
 * follows. A missing stream is a `ConsumerSetupError`: streams belong to the platform, not to a
 * worker.
 */
export async function bindConsumer(
  jsm: JetStreamManager,
  js: JetStreamClient,
  settings: WorkerSettings,
  log: Logger,
): Promise<BoundConsumer> {
  const { stream, consumer } = settings;
  try {
    await jsm.streams.info(stream);
  } catch (err) {
    if (isApiError(err, JetStreamApiCodes.StreamNotFound)) {
      throw new ConsumerSetupError(
        'EDS_STREAM_NOT_FOUND',
        `stream "${stream}" (NATS_STREAM_NAME) does not exist on ${settings.natsUrl}; create it ` +
          `(e.g. nats stream add ${stream}) or fix NATS_STREAM_NAME. The worker does not create streams.`,
        { cause: err },
      );
    }
    throw err;
  }

  let info: ConsumerInfo;
  try {
    info = await jsm.consumers.info(stream, consumer);
    const differences = compareConsumerConfig(info.config, settings);
    if (differences.length > 0) {
      log.warn(
        { event: 'consumer_config_differs', stream, consumer, differences },
        `consumer "${consumer}" exists with settings that differ from the worker's; using it as is`,
      );
    } else {
      log.info({ event: 'consumer_found', stream, consumer }, `using consumer "${consumer}"`);
    }
  } catch (err) {
    if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
    info = await jsm.consumers.add(stream, desiredConsumerConfig(settings));
    log.info(
      { event: 'consumer_created', stream, consumer, config: desiredConsumerConfig(settings) },
      `created durable consumer "${consumer}" on stream "${stream}"`,
    );
  }

  const unusable = unusableReason(info.config);
  if (unusable !== undefined) {
    throw new ConsumerSetupError(
      'EDS_CONSUMER_NOT_PULL',
      `consumer "${consumer}" (NATS_CONSUMER_GROUP) on stream "${stream}" ${unusable}; ` +
        'delete it and let the worker create it, or point NATS_CONSUMER_GROUP at a pull consumer',
    );
  }
  const terms = deliveryTerms(info.config, settings);
  log.info(
    { event: 'consumer_terms', stream, consumer, terms },
    `dead-lettering on delivery ${terms.maxDeliver} (${terms.maxDeliverFrom}), ack wait ${terms.ackWaitMs} ms`,
  );
  return { consumer: await js.consumers.get(stream, consumer), terms };
}
