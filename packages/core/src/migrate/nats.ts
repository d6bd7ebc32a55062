/**
 * NATS settings, from the worker's env vars and the ScaledObject's nats-jetstream trigger. Where
 * both say something, the env var wins: it is what the worker actually consumes.
 */
import { at } from './own.js';
import { DEFAULTS } from '../api/constants.js';
import type { ServiceGroup } from './group.js';
import { objects } from './manifests.js';
import type { Assumption, Manifest, MigrationProblem } from './types.js';

type Obj = Record<string, unknown>;

/** What the manifests did not say, and what looks wrong, for the report. */
export interface Notes {
  readonly assumptions: Assumption[];
  readonly warnings: string[];
}

function envValue(container: Obj | undefined, name: string): string | undefined {
  const item = objects(container?.env).find((e) => e.name === name);
  return typeof item?.value === 'string' && item.valueFrom === undefined ? item.value : undefined;
}

const STREAM_ENV = 'NATS_STREAM_NAME';
const CONSUMER_ENV = 'NATS_CONSUMER_GROUP';

/** The worker among the containers: the one with the NATS env vars, else the one named like the Deployment, else the first. */
export function workerIndex(containers: readonly Obj[], deployment: string): number {
  const consumer = containers.findIndex((c) =>
    objects(c.env).some((e) => e.name === STREAM_ENV || e.name === CONSUMER_ENV),
  );
  if (consumer !== -1) return consumer;
  const named = containers.findIndex((c) => c.name === deployment);
  return named === -1 ? 0 : named;
}

/** The ScaledObject's first nats-jetstream trigger, with its index (-1 when there is none). */
export function natsTrigger(scaledObject: Manifest | undefined): { index: number; trigger?: Obj } {
  const triggers = objects(at(scaledObject?.object, 'spec', 'triggers'));
  const index = triggers.findIndex((t) => t.type === 'nats-jetstream');
  const trigger = triggers[index];
  return trigger === undefined ? { index } : { index, trigger };
}

function triggerValue(trigger: Obj | undefined, key: string): string | undefined {
  const v = at(trigger, 'metadata', key);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The stream and durable consumer the worker consumes, as the claim will say (the env var, else
 * the trigger's), before the claim exists: to recognise the service's NACK Consumer.
 */
export interface NatsNames {
  readonly stream?: string;
  readonly consumer?: string;
}

export function natsNames(deployment: Manifest, scaledObject: Manifest | undefined): NatsNames {
  const containers = objects(at(deployment.object, 'spec', 'template', 'spec', 'containers'));
  const main = containers[workerIndex(containers, deployment.name)];
  const { trigger } = natsTrigger(scaledObject);
  const stream = envValue(main, STREAM_ENV) ?? triggerValue(trigger, 'stream');
  const consumer = envValue(main, CONSUMER_ENV) ?? triggerValue(trigger, 'consumer');
  return {
    ...(stream === undefined ? {} : { stream }),
    ...(consumer === undefined ? {} : { consumer }),
  };
}

export function nats(
  group: ServiceGroup,
  main: Obj,
  trigger: Obj | undefined,
  notes: Notes,
): { readonly spec: Obj } | { readonly problem: MigrationProblem } {
  const fromTrigger = (key: string) => triggerValue(trigger, key);
  const pick = (env: string, key: string, field: string, code: MigrationProblem['code']) => {
    const fromEnv = envValue(main, env);
    if (fromEnv !== undefined) return fromEnv;
    const value = fromTrigger(key);
    if (value !== undefined) {
      notes.assumptions.push({
        field,
        value,
        reason: `the Deployment sets no ${env}; taken from the ScaledObject's trigger, and the worker now receives it as ${env}`,
      });
      return value;
    }
    const d = group.deployment;
    return {
      code,
      file: d.origin.file,
      document: d.origin.document,
      message: `Deployment ${JSON.stringify(d.name)}: no ${field.slice(5)} found: set the ${env} env var on container ${JSON.stringify(main.name)}, or pass the ScaledObject with its nats-jetstream trigger`,
    } satisfies MigrationProblem;
  };
  const stream = pick(STREAM_ENV, 'stream', 'spec.nats.stream', 'no-nats-stream');
  if (typeof stream !== 'string') return { problem: stream };
  const consumer = pick(CONSUMER_ENV, 'consumer', 'spec.nats.consumer', 'no-nats-consumer');
  if (typeof consumer !== 'string') return { problem: consumer };
  const url = envValue(main, 'NATS_URL');
  if (url === undefined) {
    notes.assumptions.push({
      field: 'spec.nats.url',
      value: DEFAULTS.natsUrl,
      reason: 'the Deployment sets no NATS_URL; the platform passes the default',
    });
  }
  const account = fromTrigger('account');
  const endpoint = fromTrigger('natsServerMonitoringEndpoint');
  const spec: Obj = {
    ...(url === undefined || url === DEFAULTS.natsUrl ? {} : { url }),
    stream,
    consumer,
    // "$SYS" never holds JetStream data: the platform's "$G" replaces it (a policy difference).
    ...(account === undefined || account === DEFAULTS.natsAccount || account === '$SYS'
      ? {}
      : { account }),
    ...(endpoint === undefined || endpoint === DEFAULTS.natsMonitoringEndpoint
      ? {}
      : { monitoringEndpoint: endpoint }),
  };
  return { spec };
}
