import { DEFAULTS, SECRET_SLOTS } from './constants.js';
import type { SpecInput } from './schema.js';
import type { ResolvedSecretRef, Spec } from './types.js';

function serviceMonitor(input: SpecInput): Spec['metrics']['serviceMonitor'] {
  const monitor = input.metrics?.serviceMonitor;
  return {
    enabled: monitor?.enabled ?? DEFAULTS.serviceMonitor,
    ...(monitor?.interval === undefined ? {} : { interval: monitor.interval }),
    labels: monitor?.labels ?? {},
  };
}

/** Applies the API's defaults to a spec that has passed validation. */
export function resolveSpec(input: SpecInput): Spec {
  const slots: ResolvedSecretRef[] = [];
  for (const slot of SECRET_SLOTS) {
    const name = input[slot];
    if (name !== undefined) slots.push({ name, envFrom: true, env: [] });
  }
  const refs = (input.secretRefs ?? []).map((ref): ResolvedSecretRef => ({
    name: ref.name,
    envFrom: ref.envFrom ?? false,
    env: ref.env ?? [],
  }));
  const init = input.initContainer;
  const scaling = input.scaling;
  return {
    image: input.image,
    size: input.size ?? DEFAULTS.size,
    nats: {
      url: input.nats.url ?? DEFAULTS.natsUrl,
      stream: input.nats.stream,
      consumer: input.nats.consumer,
      account: input.nats.account ?? DEFAULTS.natsAccount,
      monitoringEndpoint: input.nats.monitoringEndpoint ?? DEFAULTS.natsMonitoringEndpoint,
      managedConsumer: input.nats.managedConsumer ?? DEFAULTS.managedConsumer,
    },
    secrets: [...slots, ...refs],
    imagePullSecrets: (input.imagePullSecrets ?? []).map((s) => s.name),
    ...(init === undefined
      ? {}
      : {
          initContainer: {
            ...(init.command === undefined ? {} : { command: init.command }),
            ...(init.args === undefined ? {} : { args: init.args }),
          },
        }),
    scaling: {
      minReplicas: scaling?.minReplicas ?? DEFAULTS.minReplicas,
      maxReplicas: scaling?.maxReplicas ?? DEFAULTS.maxReplicas,
      lagThreshold: scaling?.lagThreshold ?? DEFAULTS.lagThreshold,
      pollingInterval: scaling?.pollingInterval ?? DEFAULTS.pollingInterval,
      cooldownPeriod: scaling?.cooldownPeriod ?? DEFAULTS.cooldownPeriod,
      ...(scaling?.activationLagThreshold === undefined
        ? {}
        : { activationLagThreshold: scaling.activationLagThreshold }),
    },
    terminationGracePeriodSeconds:
      input.terminationGracePeriodSeconds ?? DEFAULTS.terminationGracePeriodSeconds,
    podAnnotations: input.podAnnotations ?? {},
    availability: {
      podDisruptionBudget: input.availability?.podDisruptionBudget ?? DEFAULTS.podDisruptionBudget,
      topologySpread: input.availability?.topologySpread ?? DEFAULTS.topologySpread,
    },
    metrics: { serviceMonitor: serviceMonitor(input) },
  };
}
