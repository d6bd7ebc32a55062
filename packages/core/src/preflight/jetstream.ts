/**
 * What a claim needs from its NATS server, checked through the JetStream API as a client sees
 * it (`eds preflight --nats URL`): the account the connection lands in, JetStream for it, its
 * limits against the consumer the platform will create, the stream and the consumer with the
 * same settings checks as the monitoring endpoint's (nats.ts). Pure: the caller asks the server
 * (packages/cli/src/preflight/jetstream.ts) and passes the answers as JSON.
 * @see https://docs.nats.io/reference/reference-protocols/nats_api_reference
 */
import type { Spec } from '../api/types.js';
import { at, isObject, num, str, type Obj } from './json.js';
import { atLeast, serverVersion, streamAndConsumerFindings, type Finding } from './nats.js';

/** The server's answers to a client, as parsed JSON. */
export interface JetStreamAnswers {
  /** The URL as it may be printed: without credentials. */
  readonly url: string;
  /** The server's version from its INFO. */
  readonly version?: string;
  /**
   * The answer to `$SYS.REQ.USER.INFO` (`{data: {user, account, …}}`), which servers with a
   * system account answer from 2.10 on; absent when there was none.
   */
  readonly userInfo?: unknown;
  /** `$JS.API.INFO`: the account's JetStream usage and limits. */
  readonly account: unknown;
  /** The names of the account's streams. */
  readonly streams: readonly string[];
  /** `$JS.API.STREAM.INFO.<stream>`; absent when the stream does not exist. */
  readonly stream?: unknown;
  /** `$JS.API.CONSUMER.INFO.<stream>.<consumer>`; absent when the consumer does not exist. */
  readonly consumer?: unknown;
}

function accountFinding(a: JetStreamAnswers, spec: Spec): Finding {
  const want = spec.nats.account;
  const account = str(at(a.userInfo, 'data', 'account'));
  if (account === undefined) {
    const v = serverVersion(a.version);
    const why =
      v !== undefined && !atLeast(v, 2, 10)
        ? `nats-server ${v.join('.')} does not say which account a connection is in (2.10 and later answer $SYS.REQ.USER.INFO)`
        : 'the server did not answer $SYS.REQ.USER.INFO (it has no system account)';
    return {
      check: 'account',
      severity: 'ok',
      message: `not checked here: ${why}; the monitoring endpoint's check covers it`,
    };
  }
  if (account !== want) {
    return {
      check: 'account',
      severity: 'error',
      message: `these credentials are in account ${JSON.stringify(account)}, the claim's spec.nats.account is ${JSON.stringify(want)}: KEDA would look for the consumer in the other account`,
      fix: `set spec.nats.account: ${JSON.stringify(account)}, or connect with the credentials the worker uses`,
    };
  }
  return {
    check: 'account',
    severity: 'ok',
    message: `these credentials are in account ${JSON.stringify(account)}, as spec.nats.account says`,
  };
}

/**
 * Whether the platform could create the consumer it has to: an account or a stream at its
 * consumer limit refuses the durable the first pod (or NACK) adds.
 */
function consumerLimit(a: JetStreamAnswers, spec: Spec): Finding | undefined {
  const limits = [
    {
      of: 'account',
      max: num(at(a.account, 'limits', 'max_consumers')),
      used: num(at(a.account, 'consumers')),
    },
    {
      of: `stream ${JSON.stringify(spec.nats.stream)}`,
      max: num(at(a.stream, 'config', 'max_consumers')),
      used: num(at(a.stream, 'state', 'consumer_count')),
    },
  ];
  const full = limits.find((l) => (l.max ?? 0) > 0 && (l.used ?? 0) >= (l.max ?? 0));
  if (full === undefined) return undefined;
  return {
    check: 'consumer.limit',
    severity: 'error',
    message: `the ${full.of} has ${full.used} consumers, its limit (max_consumers ${full.max}): the server would refuse to create ${JSON.stringify(spec.nats.consumer)}`,
    fix: `raise the ${full.of}'s max_consumers, or delete a consumer it no longer needs`,
  };
}

/** Every JetStream API finding for the claim, in the order a reader fixes them. */
export function jetStreamFindings(a: JetStreamAnswers, spec: Spec): Finding[] {
  const out: Finding[] = [accountFinding(a, spec)];
  if (out[0]?.severity === 'error') return out;
  const stream: Obj | undefined = isObject(a.stream)
    ? {
        ...a.stream,
        name: spec.nats.stream,
        consumer_detail: a.consumer === undefined ? [] : [a.consumer],
      }
    : undefined;
  const streams = a.streams
    .filter((name) => name !== spec.nats.stream)
    .map((name): Obj => ({ name }))
    .concat(stream === undefined ? [] : [stream]);
  out.push(...streamAndConsumerFindings(streams, spec));
  if (stream !== undefined && a.consumer === undefined) {
    const limit = consumerLimit(a, spec);
    if (limit !== undefined) out.push(limit);
  }
  return out;
}
