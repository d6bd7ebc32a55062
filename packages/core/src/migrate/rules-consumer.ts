/**
 * How a hand-written NACK Consumer compares with the platform's (spec.nats.managedConsumer,
 * ADR 9). The platform's has exactly the settings the worker gives a consumer it creates
 * (render/consumer.ts); a setting of yours that differs would change how the worker's messages
 * are delivered, and is lost unless the platform's choice is the one the worker needs anyway.
 */
import { CONSUMER_ACK_WAIT, CONSUMER_MAX_DELIVER } from '../render/consumer.js';
import { json, type Facts, type Rule } from './facts.js';
import { ANNOTATIONS, labelRule } from './rules-common.js';

const KEEP_YOURS =
  'to keep yours, set spec.nats.managedConsumer: false and keep applying it (the worker binds to the consumer as it finds it)';
const was = (f: Facts) => `${f.shape.at(-1) ?? ''} ${json(f.before)}`;

export const CONSUMER_RULES: readonly Rule[] = [
  labelRule('metadata.labels.*'),
  { at: 'metadata.annotations.**', verdict: 'lost', reason: ANNOTATIONS },
  {
    at: 'metadata.name',
    verdict: 'policy',
    reason: (f) =>
      `the Consumer object is named after the service, ${f.service.name}; the server's consumer keeps its durable name`,
  },
  {
    at: 'spec.ackPolicy',
    verdict: 'policy',
    reason: (f) =>
      `the worker acknowledges each message once its handler returns (explicit); with ${was(f)} a message would count as handled before it is`,
  },
  {
    at: 'spec.ackWait',
    verdict: (f) => (f.before === undefined ? 'policy' : 'lost'),
    reason: (f) =>
      f.before === undefined
        ? `NACK's default, 1ns, redelivers every message at once; the platform waits ${CONSUMER_ACK_WAIT}, as the worker does (and it extends the wait for long handlers)`
        : `${was(f)} is not representable: the platform's consumer waits ${CONSUMER_ACK_WAIT} for an acknowledgement, as the worker does; ${KEEP_YOURS}`,
  },
  {
    at: 'spec.maxDeliver',
    verdict: (f) => (f.before === undefined ? 'policy' : 'lost'),
    reason: (f) =>
      f.before === undefined
        ? `the platform delivers a message at most ${CONSUMER_MAX_DELIVER} times, after which the worker dead-letters it`
        : `${was(f)} is not representable: the platform delivers a message at most ${CONSUMER_MAX_DELIVER} times, after which the worker dead-letters it; ${KEEP_YOURS}`,
  },
  {
    at: 'spec.servers',
    verdict: (f) => (f.before === undefined ? 'policy' : 'lost'),
    reason: (f) =>
      f.before === undefined
        ? "NACK manages the consumer on the worker's server, spec.nats.url"
        : `${was(f)} is not the worker's server; the platform's Consumer names spec.nats.url (${json(f.service.spec.nats.url)})`,
  },
  {
    at: 'spec.preventDelete',
    verdict: 'policy',
    reason:
      "deleting the claim leaves the server's consumer and its position (preventDelete); remove it with nats consumer rm",
  },
  {
    at: 'spec.deliverPolicy',
    verdict: 'lost',
    reason: (f) =>
      `${was(f)} is not representable: the platform's consumer starts from the stream's first message (all), as the worker's does; ${KEEP_YOURS}`,
  },
  {
    at: '**',
    verdict: (f) => (f.before === undefined ? 'policy' : 'lost'),
    reason: (f) =>
      f.before === undefined
        ? 'set by the platform'
        : `${was(f)} is not representable: the platform's Consumer is a pull consumer with the worker's own settings; ${KEEP_YOURS}`,
  },
];
