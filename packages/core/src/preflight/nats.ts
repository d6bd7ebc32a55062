/**
 * What a claim needs from its NATS server, checked against the monitoring endpoint's answer to
 * the query KEDA's nats-jetstream scaler makes (`/jsz?acc=<account>&consumers=true&config=true`)
 * and `/varz`: the account KEDA matches by name, the stream, the durable consumer and its
 * settings against what the worker does, and the lag now with the replicas KEDA would choose for
 * it. Pure: the caller fetches (packages/cli/src/preflight.ts).
 * @see https://github.com/kedacore/keda/blob/v2.20.2/pkg/scalers/nats_jetstream_scaler.go
 */
import type { Spec } from '../api/types.js';
import { CONSUMER_ACK_WAIT, CONSUMER_MAX_DELIVER } from '../render/consumer.js';
import {
  DEFAULT_CONCURRENCY,
  externalPerPodReplicas,
  hpaMinReplicas,
  isActive,
  scalingSettings,
} from '../scaling/index.js';
import { at, isObject, list, num, str, type Obj } from './json.js';

/**
 * - `error`: the service would not work as configured (exit 1);
 * - `warning`: it works, but not as the platform expects (a limit, a setting that differs);
 * - `ok`: checked and fine, with what was found.
 */
export type Severity = 'error' | 'warning' | 'ok';

export interface Finding {
  /** Which check: `endpoint`, `account`, `stream`, `consumer`, `consumer.ackPolicy`, `lag`, … */
  readonly check: string;
  readonly severity: Severity;
  readonly message: string;
  /** What to do, when there is something to do. */
  readonly fix?: string;
}

/** The monitoring endpoint's answers, as parsed JSON. */
export interface Monitoring {
  readonly endpoint: string;
  readonly jsz: unknown;
  /** `/varz`, for the server's version; absent when it did not answer. */
  readonly varz?: unknown;
}

/** The items' names, sorted: the server lists them in no fixed order. */
const names = (items: readonly Obj[]) =>
  items.length === 0
    ? 'none'
    : items
        .map((i) => JSON.stringify(str(i.name) ?? '?'))
        .sort()
        .join(', ');

/** `major.minor` of a nats-server version string (`/varz`'s, or INFO's), or `undefined`. */
export function serverVersion(v: unknown): readonly [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(str(v) ?? '');
  return m === null ? undefined : [Number(m[1]), Number(m[2])];
}

/** Whether a server of version `v` is at least `major.minor`. */
export const atLeast = (v: readonly [number, number], major: number, minor: number) =>
  v[0] > major || (v[0] === major && v[1] >= minor);

const NS_PER_SECOND = 1e9;
const seconds = (ns: number) => `${ns / NS_PER_SECOND}s`;
/** The worker's ack wait (render/consumer.ts spells it as a Go duration). */
const WORKER_ACK_WAIT_NS = Number.parseInt(CONSUMER_ACK_WAIT, 10) * NS_PER_SECOND;

const MEANS: Readonly<Record<string, string>> = {
  workqueue:
    'work queue: a message leaves the stream once acknowledged, so the lag is what is left to do',
  limits:
    'limits: acknowledged messages stay until the stream limits remove them; the lag counts only what the consumer has not yet had acknowledged',
  interest:
    'interest: a message stays while any consumer has yet to acknowledge it; other consumers of the stream keep messages this one has done',
};

function accountFindings(m: Monitoring, spec: Spec): Finding[] | Obj {
  const { account } = spec.nats;
  const jsz = m.jsz;
  if (!isObject(jsz)) {
    return [
      {
        check: 'endpoint',
        severity: 'error',
        message: `${m.endpoint} answered /jsz with something other than a JSON object`,
        fix: 'point --monitoring (or spec.nats.monitoringEndpoint) at the nats-server monitoring port, usually 8222',
      },
    ];
  }
  if (jsz.disabled === true || jsz.config === undefined) {
    return [
      {
        check: 'jetstream',
        severity: 'error',
        message: `the server at ${m.endpoint} runs without JetStream`,
        fix: 'enable JetStream on the server (nats-server -js, or jetstream {} in its config)',
      },
    ];
  }
  const details = list(jsz.account_details);
  const found = details.find((a) => a.name === account);
  if (found !== undefined) {
    return found;
  }
  const v = serverVersion(isObject(m.varz) ? m.varz.version : undefined);
  if (details.length === 0 && v !== undefined && atLeast(v, 2, 12)) {
    return [
      {
        check: 'account',
        severity: 'error',
        message: `nats-server ${v.join('.')} left account details out of /jsz?acc=${account}, so KEDA's scaler finds no consumer (KEDA issue #8165)`,
        fix: 'use a KEDA release that asks with accounts=true once one exists, or a nats-server before 2.12',
      },
    ];
  }
  return [
    {
      check: 'account',
      severity: 'error',
      message: `account ${JSON.stringify(account)} is not on the server (accounts with JetStream: ${names(details)}); KEDA matches the account by name and would find no lag`,
      fix:
        details.length === 1
          ? `set spec.nats.account: ${JSON.stringify(str(details[0]?.name) ?? '$G')}`
          : 'set spec.nats.account to the account that holds the stream',
    },
  ];
}

function streamFindings(stream: Obj, spec: Spec): Finding[] {
  const config = isObject(stream.config) ? stream.config : {};
  const retention = str(config.retention) ?? 'limits';
  const subjects = Array.isArray(config.subjects) ? config.subjects.join(', ') : '';
  return [
    {
      check: 'stream',
      severity: 'ok',
      message: `stream ${JSON.stringify(spec.nats.stream)} exists (subjects ${subjects || 'none'}); retention ${MEANS[retention] ?? retention}`,
    },
  ];
}

/**
 * What a long ack wait means for the grace period: a message whose handler is still running when
 * the pod's grace period ends (scale-in, a rollout) is abandoned, and no replica gets it until
 * the ack wait has passed.
 */
function abandoned(ackWaitNs: number, spec: Spec): string {
  const grace = spec.terminationGracePeriodSeconds;
  if (ackWaitNs <= Math.max(WORKER_ACK_WAIT_NS, grace * NS_PER_SECOND)) return '';
  return `; a message a pod abandons when its ${grace}s grace period ends waits ${seconds(ackWaitNs)} for another replica`;
}

function consumerSettings(consumer: Obj, spec: Spec): Finding[] {
  const config = isObject(consumer.config) ? consumer.config : {};
  const out: Finding[] = [];
  const keep = spec.nats.managedConsumer
    ? 'NACK updates it to the platform settings (spec.nats.managedConsumer)'
    : 'the worker uses the consumer as it finds it';
  const ackPolicy = str(config.ack_policy) ?? 'none';
  if (ackPolicy !== 'explicit') {
    out.push({
      check: 'consumer.ackPolicy',
      severity: 'error',
      message: `the consumer's ack policy is ${ackPolicy}: messages count as handled before the worker acknowledges them, so a crash loses them`,
      fix: 'recreate the consumer with explicit acks (NATS cannot change an ack policy in place)',
    });
  }
  const deliverSubject = str(config.deliver_subject);
  if (deliverSubject !== undefined && deliverSubject !== '') {
    out.push({
      check: 'consumer.deliverSubject',
      severity: 'error',
      message: `the consumer is a push consumer (deliver subject ${JSON.stringify(deliverSubject)}); the worker pulls`,
      fix: 'recreate it as a pull consumer (no deliver subject)',
    });
  }
  const ackWait = num(config.ack_wait);
  if (ackWait !== undefined && ackWait !== WORKER_ACK_WAIT_NS) {
    out.push({
      check: 'consumer.ackWait',
      severity: 'warning',
      message: `the consumer's ack wait is ${seconds(ackWait)}, the worker's ${CONSUMER_ACK_WAIT}; ${keep}, and it marks long handlers in progress against the consumer's${abandoned(ackWait, spec)}`,
    });
  }
  const maxDeliver = num(config.max_deliver);
  if (maxDeliver !== undefined && maxDeliver !== CONSUMER_MAX_DELIVER) {
    out.push({
      check: 'consumer.maxDeliver',
      severity: 'warning',
      message:
        maxDeliver <= 0
          ? `the consumer redelivers without limit (max_deliver ${maxDeliver}); the worker dead-letters after ${CONSUMER_MAX_DELIVER} deliveries, so a message that always fails is retried until then`
          : `the consumer delivers a message at most ${maxDeliver} times, the worker's ${CONSUMER_MAX_DELIVER}; ${keep}`,
    });
  }
  const maxAckPending = num(config.max_ack_pending);
  const inFlight = spec.scaling.maxReplicas * DEFAULT_CONCURRENCY;
  if (maxAckPending !== undefined && maxAckPending > 0 && maxAckPending < inFlight) {
    const busy = Math.ceil(maxAckPending / DEFAULT_CONCURRENCY);
    out.push({
      check: 'consumer.maxAckPending',
      severity: 'warning',
      message: `the consumer hands out at most ${maxAckPending} unacknowledged messages, fewer than maxReplicas ${spec.scaling.maxReplicas} × concurrency ${DEFAULT_CONCURRENCY} = ${inFlight}: replicas beyond ${busy} would wait for work`,
      fix: `raise the consumer's max_ack_pending to ${inFlight} or more, or lower spec.scaling.maxReplicas to ${busy}`,
    });
  }
  const filter = str(config.filter_subject);
  if (out.length === 0) {
    out.push({
      check: 'consumer.settings',
      severity: 'ok',
      message: `explicit acks, pull, ack wait ${CONSUMER_ACK_WAIT}, at most ${CONSUMER_MAX_DELIVER} deliveries${filter === undefined || filter === '' ? '' : `, only subjects ${filter}`}: as the worker expects`,
    });
  }
  return out;
}

function missingConsumer(spec: Spec): Finding {
  const { consumer } = spec.nats;
  if (spec.nats.managedConsumer) {
    return {
      check: 'consumer',
      severity: 'ok',
      message: `consumer ${JSON.stringify(consumer)} does not exist yet; NACK creates it from the claim's Consumer before any pod runs (spec.nats.managedConsumer)`,
    };
  }
  if (spec.scaling.minReplicas === 0) {
    return {
      check: 'consumer',
      severity: 'error',
      message: `consumer ${JSON.stringify(consumer)} does not exist, and with minReplicas 0 no pod starts to create it: KEDA cannot read its lag, so the service never starts`,
      fix: 'set spec.nats.managedConsumer: true (needs NACK), or create the consumer before applying',
    };
  }
  return {
    check: 'consumer',
    severity: 'ok',
    message: `consumer ${JSON.stringify(consumer)} does not exist yet; the first worker pod creates it (KEDA reports an error for it until then)`,
  };
}

/** The lag as KEDA reads it, and the replicas it and the HPA would settle on for it. */
function lagFinding(consumer: Obj, spec: Spec): Finding {
  const pending = num(consumer.num_pending) ?? 0;
  const ackPending = num(consumer.num_ack_pending) ?? 0;
  const lag = pending + ackPending;
  const settings = scalingSettings(spec.scaling);
  const active = isActive(lag, settings);
  const wanted = externalPerPodReplicas(lag, settings.lagThreshold, 1, 0).replicas;
  const replicas = active
    ? Math.min(settings.maxReplicas, Math.max(hpaMinReplicas(settings), wanted))
    : settings.minReplicas;
  const why = active
    ? `ceil(${lag} / lagThreshold ${settings.lagThreshold}) = ${wanted}, within ${hpaMinReplicas(settings)}–${settings.maxReplicas}`
    : `lag ${lag} is not above activationLagThreshold ${settings.activationLagThreshold}, so KEDA keeps minReplicas`;
  return {
    check: 'lag',
    severity: 'ok',
    message: `lag ${lag} (${pending} pending, ${ackPending} unacknowledged): KEDA and the HPA would settle on ${replicas} replica${replicas === 1 ? '' : 's'} (${why})`,
  };
}

/** Every NATS finding for the claim, in the order a reader fixes them. */
export function natsFindings(m: Monitoring, spec: Spec): Finding[] {
  const account = accountFindings(m, spec);
  if (Array.isArray(account)) return account;
  return [
    {
      check: 'account',
      severity: 'ok',
      message: `account ${JSON.stringify(spec.nats.account)} is on the server at ${m.endpoint}`,
    },
    ...streamAndConsumerFindings(list(account.stream_detail), spec),
    ...clusterFindings(m, account, spec),
  ];
}

/** The host and port of `host:port` or `[v6]:port`. */
function splitHostPort(endpoint: string): { host: string; port: string } {
  const colon = endpoint.lastIndexOf(':');
  return { host: endpoint.slice(0, colon), port: endpoint.slice(colon + 1) };
}

const IP_ADDRESS = /^(\d+\.){3}\d+$|^\[/;

/**
 * A clustered server (`meta_cluster.cluster_size` above 1): KEDA does not read the lag from the
 * endpoint it is given but from the consumer's leader, which it finds through `/varz`: each
 * server the cluster advertises to clients (`connect_urls`) at the endpoint's port, or, when the
 * servers do not advertise, `<server>.<endpoint host>` for each route's first DNS label.
 */
function clusterFindings(m: Monitoring, account: Obj, spec: Spec): Finding[] {
  const size = num(at(m.jsz, 'meta_cluster', 'cluster_size')) ?? 1;
  if (size <= 1) return [];
  const stream = list(account.stream_detail).find((s) => s.name === spec.nats.stream);
  const consumer = list(stream?.consumer_detail).find((c) => c.name === spec.nats.consumer);
  const leader = str(at(consumer, 'cluster', 'leader'));
  if (leader === undefined) return [];
  const here = str(at(m.varz, 'server_name'));
  const { host, port } = splitHostPort(spec.nats.monitoringEndpoint);
  const connectUrls = at(m.varz, 'connect_urls');
  const advertised = Array.isArray(connectUrls) ? connectUrls.length : 0;
  if (m.varz === undefined) {
    return [
      {
        check: 'cluster',
        severity: 'warning',
        message: `the server is one of ${size} in a cluster; KEDA finds the consumer's leader (${leader}) through /varz, which did not answer here`,
        fix: 'make /varz reachable on the monitoring port: KEDA needs it for a cluster',
      },
    ];
  }
  const how =
    advertised > 0
      ? `KEDA finds the leader by asking each of the ${advertised} servers the cluster advertises (/varz connect_urls) on port ${port}, so each must answer there from KEDA's operator`
      : `the servers do not advertise themselves (no_advertise), so KEDA asks ${leader}.${host}:${port}: spec.nats.monitoringEndpoint must be the headless Service whose pods are named as the servers`;
  const findings: Finding[] = [];
  if (advertised === 0 && IP_ADDRESS.test(host)) {
    findings.push({
      check: 'cluster',
      severity: 'error',
      message: `the server is one of ${size} in a cluster that does not advertise its servers, and spec.nats.monitoringEndpoint is an address (${spec.nats.monitoringEndpoint}): KEDA would ask ${leader}.${host}:${port} for the consumer's leader, which no name service answers`,
      fix: 'set spec.nats.monitoringEndpoint to the headless Service, e.g. nats-headless.nats.svc.cluster.local:8222',
    });
    return findings;
  }
  const figures =
    here === undefined
      ? 'the figures above are from the server that answered'
      : here === leader
        ? `the figures above are from ${here}, the leader`
        : `the figures above are from ${here}, a follower: the leader's count is the one KEDA uses, and a follower's can trail it`;
  findings.push({
    check: 'cluster',
    severity: here === undefined || here === leader ? 'ok' : 'warning',
    message: `the server is one of ${size} in a cluster; the consumer's leader is ${leader}, and KEDA reads the lag there: ${how}; ${figures}`,
    ...(here === undefined || here === leader
      ? {}
      : { fix: `ask the leader for exact figures: --monitoring <${leader}'s monitoring address>` }),
  });
  return findings;
}

/**
 * The stream's and the consumer's findings, from the streams of the account: each as `/jsz`
 * lists it (`name`, `config`, `consumer_detail` with the JetStream API's consumer info), which
 * is also what the JetStream API's stream info is with its consumer added (jetstream.ts).
 */
export function streamAndConsumerFindings(streams: readonly Obj[], spec: Spec): Finding[] {
  const stream = streams.find((s) => s.name === spec.nats.stream);
  if (stream === undefined) {
    return [
      {
        check: 'stream',
        severity: 'error',
        message: `stream ${JSON.stringify(spec.nats.stream)} does not exist in account ${JSON.stringify(spec.nats.account)} (streams there: ${names(streams)}); the worker stays unready until it does`,
        fix: `create it, e.g. nats stream add ${spec.nats.stream} --subjects '<subjects>', or fix spec.nats.stream`,
      },
    ];
  }
  const out = streamFindings(stream, spec);
  const consumer = list(stream.consumer_detail).find((c) => c.name === spec.nats.consumer);
  if (consumer === undefined) {
    out.push(missingConsumer(spec));
    return out;
  }
  out.push(
    {
      check: 'consumer',
      severity: 'ok',
      message: `consumer ${JSON.stringify(spec.nats.consumer)} exists on stream ${JSON.stringify(spec.nats.stream)}`,
    },
    ...consumerSettings(consumer, spec),
    lagFinding(consumer, spec),
  );
  return out;
}

/** The consumer's lag in a `/jsz` answer, as KEDA's scaler reads it; or why there is none. */
export type ConsumerLag =
  | {
      readonly ok: true;
      /** num_pending + num_ack_pending. */
      readonly lag: number;
      readonly pending: number;
      readonly ackPending: number;
      /** Deliveries acknowledged so far (`ack_floor.consumer_seq`). */
      readonly acked: number;
    }
  | { readonly ok: false; readonly reason: string };

/** KEDA's `getMaxMsgLag` for the claim's account, stream and consumer. */
export function consumerLag(jsz: unknown, nats: Spec['nats']): ConsumerLag {
  const details = list(isObject(jsz) ? jsz.account_details : undefined);
  const account = details.find((a) => a.name === nats.account);
  if (account === undefined)
    return { ok: false, reason: `account ${JSON.stringify(nats.account)} is not in /jsz` };
  const stream = list(account.stream_detail).find((s) => s.name === nats.stream);
  if (stream === undefined)
    return { ok: false, reason: `stream ${JSON.stringify(nats.stream)} does not exist` };
  const consumer = list(stream.consumer_detail).find((c) => c.name === nats.consumer);
  if (consumer === undefined)
    return { ok: false, reason: `consumer ${JSON.stringify(nats.consumer)} does not exist` };
  const pending = num(consumer.num_pending) ?? 0;
  const ackPending = num(consumer.num_ack_pending) ?? 0;
  const floor = consumer.ack_floor;
  const acked = num(isObject(floor) ? floor.consumer_seq : undefined) ?? 0;
  return { ok: true, lag: pending + ackPending, pending, ackPending, acked };
}
