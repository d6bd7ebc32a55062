/**
 * NATS settings, from the worker's env vars and the ScaledObject's nats-jetstream trigger. Where both say something, the env var wins: it is what the worker
 * actually consumes.
 */
import { at } from './own.js';
import { DEFAULTS } from '../api/constants.js';
import type { ServiceGroup } from './group.js';
import { isObject } from './manifests.js';
import type { Assumption, MigrationProblem } from './types.js';

type Obj = Record<string, unknown>;

/** What the manifests did not say, and what looks wrong, for the report. */
export interface Notes {
  readonly assumptions: Assumption[];
  readonly warnings: string[];
}

function envValue(container: Obj, name: string): string | undefined {
  const env: unknown[] = Array.isArray(container.env) ? container.env : [];
  const item = env.filter(isObject).find((e) => e.name === name);
  return typeof item?.value === 'string' && item.valueFrom === undefined ? item.value : undefined;
}

export function nats(
  group: ServiceGroup,
  main: Obj,
  trigger: Obj | undefined,
  notes: Notes,
): { readonly spec: Obj } | { readonly problem: MigrationProblem } {
  const meta = at(trigger, 'metadata');
  const fromTrigger = (key: string) => {
    const v = at(meta, key);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
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
  const stream = pick('NATS_STREAM_NAME', 'stream', 'spec.nats.stream', 'no-nats-stream');
  if (typeof stream !== 'string') return { problem: stream };
  const consumer = pick(
    'NATS_CONSUMER_GROUP',
    'consumer',
    'spec.nats.consumer',
    'no-nats-consumer',
  );
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
