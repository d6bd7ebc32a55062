/**
 * `eds preflight --nats URL`: asks the server, as a client with the given credentials, what
 * `jetStreamFindings` checks: which account the connection is in, the account's JetStream
 * usage and limits, the streams, and the claim's stream and consumer. Every request has the
 * timeout; the connection never retries.
 */
import { jetStreamFindings, type Finding, type JetStreamAnswers, type Spec } from '@eds/core';
import { parseNatsServers, redactCredentials } from '@eds/worker';
import {
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  type JetStreamManager,
} from '@nats-io/jetstream';
import {
  connect,
  credsAuthenticator,
  type ConnectionOptions,
  type NatsConnection,
} from '@nats-io/transport-node';
import { reason } from '../monitoring.js';

/** More stream names than this are not listed in a finding (the server pages them by 1024). */
const MAX_STREAM_NAMES = 10_000;

export interface JetStreamTarget {
  /** As the user gave it: may carry credentials, never printed as it is. */
  readonly url: string;
  /** A `.creds` file's contents (JWT and NKey seed), for `--creds`. */
  readonly creds?: Uint8Array;
}

/** What is wrong with `--nats`'s server list, without quoting it (it may hold a password). */
export function natsUrlProblem(url: string): string | undefined {
  const parsed = parseNatsServers(url);
  return parsed.ok ? undefined : parsed.problem;
}

/** The URL as it may be printed. */
export const printableUrl = (url: string) => redactCredentials(url);

function connectionOptions(t: JetStreamTarget, timeoutMs: number): ConnectionOptions {
  const parsed = parseNatsServers(t.url);
  if (!parsed.ok) throw new Error(`--nats ${parsed.problem}`);
  const { servers, auth } = parsed.value;
  return {
    servers: [...servers],
    name: 'eds-preflight',
    timeout: timeoutMs,
    reconnect: false,
    ...(auth ?? {}),
    ...(t.creds === undefined ? {} : { authenticator: credsAuthenticator(t.creds) }),
  };
}

const isApiError = (e: unknown, code: number) => e instanceof JetStreamApiError && e.code === code;

/** `undefined` for "not found" (`code`), the answer otherwise; other errors propagate. */
async function unlessNotFound<T>(code: number, ask: Promise<T>): Promise<T | undefined> {
  try {
    return await ask;
  } catch (e) {
    if (isApiError(e, code)) return undefined;
    throw e;
  }
}

async function streamNames(jsm: JetStreamManager): Promise<string[]> {
  const names: string[] = [];
  for await (const name of jsm.streams.names()) {
    names.push(name);
    if (names.length >= MAX_STREAM_NAMES) break;
  }
  return names;
}

async function userInfo(nc: NatsConnection, timeoutMs: number): Promise<unknown> {
  try {
    return (await nc.request('$SYS.REQ.USER.INFO', '', { timeout: timeoutMs })).json<unknown>();
  } catch {
    return undefined;
  }
}

async function answers(
  nc: NatsConnection,
  spec: Spec,
  url: string,
  timeoutMs: number,
): Promise<JetStreamAnswers | Finding> {
  const info = await userInfo(nc, timeoutMs);
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc, { timeout: timeoutMs });
  } catch (e) {
    return {
      check: 'jetstream',
      severity: 'error',
      message: `JetStream is not available to these credentials at ${url}: ${reason(e)}`,
      fix: 'enable JetStream on the server (nats-server -js) and for the account (jetstream: enabled in its config)',
    };
  }
  const { stream, consumer } = spec.nats;
  const streamInfo = await unlessNotFound(
    JetStreamApiCodes.StreamNotFound,
    jsm.streams.info(stream),
  );
  const consumerInfo =
    streamInfo === undefined
      ? undefined
      : await unlessNotFound(
          JetStreamApiCodes.ConsumerNotFound,
          jsm.consumers.info(stream, consumer),
        );
  return {
    url,
    ...(nc.info === undefined ? {} : { version: nc.info.version }),
    ...(info === undefined ? {} : { userInfo: info }),
    account: await jsm.getAccountInfo(),
    streams: await streamNames(jsm),
    ...(streamInfo === undefined ? {} : { stream: streamInfo }),
    ...(consumerInfo === undefined ? {} : { consumer: consumerInfo }),
  };
}

/** The JetStream API findings for the claim, or the one finding saying why there are none. */
export async function jetStreamCheck(
  target: JetStreamTarget,
  spec: Spec,
  timeoutMs: number,
): Promise<Finding[]> {
  const url = printableUrl(target.url);
  let nc: NatsConnection;
  try {
    nc = await connect(connectionOptions(target, timeoutMs));
  } catch (e) {
    return [
      {
        check: 'connection',
        severity: 'error',
        message: `could not connect to ${url}: ${redactCredentials(reason(e))}`,
        fix: 'check --nats (and --creds); from outside the cluster, forward it (kubectl port-forward -n nats svc/nats 4222) and pass --nats nats://127.0.0.1:4222',
      },
    ];
  }
  try {
    const got = await answers(nc, spec, url, timeoutMs);
    return 'check' in got ? [got] : jetStreamFindings(got, spec);
  } catch (e) {
    return [
      {
        check: 'jetstream',
        severity: 'error',
        message: `the JetStream API at ${url} answered ${redactCredentials(reason(e))}`,
        fix: 'these credentials need to read JetStream: allow $JS.API.> for them',
      },
    ];
  } finally {
    await nc.close();
  }
}
