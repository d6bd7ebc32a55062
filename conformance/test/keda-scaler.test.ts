/**
 * Our ScaledObject's trigger, read by KEDA's own `nats-jetstream` scaler (`keda-scaler`: KEDA at
 * KEDA_VERSION, built the way its operator builds a scaler) against a real nats-server. The
 * trigger is the one `eds render` emits for the example claims; only its
 * `natsServerMonitoringEndpoint` is pointed at the loopback server, where the stream and the
 * durable consumer the claim names are created as the worker creates them. Checked: KEDA's parser
 * knows every key we emit; the lag it reads is the consumer's `num_pending + num_ack_pending`;
 * its target is the claim's `lagThreshold`, and so the replicas the HPA takes; `$G` finds the
 * stream and `$SYS` does not; what a missing consumer gives; activation with `minReplicas: 0`, at
 * KEDA's default threshold and above the claim's `activationLagThreshold`.
 */
import { forTarget, parseYamlDocuments, render, validateClaim } from '@eds/core';
import type { Claim } from '@eds/core';
import { resolveSettings } from '@eds/worker';
import { jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desiredConsumerConfig } from '../../packages/worker/src/consumer-config.js';
import { connectClient } from '../../packages/worker/test/harness/jetstream.js';
import { NatsServer } from '../../packages/worker/test/harness/nats-server.js';
import { REPO_ROOT, tool, VERSIONS } from './upstream.js';

/** A Kubernetes quantity as keda-scaler reports it: canonical string and thousandths. */
interface Quantity {
  readonly quantity: string;
  readonly milli: number;
}

/** keda-scaler's answer (conformance/keda-scaler/main.go). */
interface Verdict {
  readonly keda: string;
  readonly unknownKeys: readonly string[];
  readonly events: readonly string[];
  readonly constructionError: string | null;
  readonly metricName?: string;
  readonly target?: {
    readonly type: string;
    readonly averageValue: Quantity | null;
    readonly value: Quantity | null;
  };
  readonly metricsError?: string;
  readonly value?: Quantity;
  readonly isActive?: boolean;
}

interface Trigger {
  readonly type: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** What the test needs of a rendered claim. */
interface Case {
  /** Names the claim in every line and failure message. */
  readonly name: string;
  readonly claim: Claim;
  /** The ScaledObject's `spec.triggers[0]`, as rendered. */
  readonly trigger: Trigger;
  readonly minReplicaCount: number;
  readonly maxReplicaCount: number;
}

type Doc = Record<string, unknown>;

function exampleDoc(file: string): Doc {
  const [doc] = parseYamlDocuments(readFileSync(join(REPO_ROOT, 'examples', file), 'utf8'));
  if (doc === undefined) throw new Error(`examples/${file} has no document`);
  return doc.value as Doc;
}

/** Renders a claim (v2 target) and takes its ScaledObject's trigger and replica bounds. */
function renderCase(name: string, doc: Doc): Case {
  const v = validateClaim(doc);
  if (!v.ok) throw new Error(`${name} is invalid: ${JSON.stringify(v.issues)}`);
  const scaledObject = forTarget(render(v.claim, v.claim.spec), { target: 'v2' }).find(
    (r) => r.key === 'scaledobject',
  )?.object;
  if (scaledObject === undefined) throw new Error(`${name}: eds render emitted no ScaledObject`);
  const spec = scaledObject['spec'] as {
    readonly minReplicaCount: number;
    readonly maxReplicaCount: number;
    readonly triggers: readonly Trigger[];
  };
  const trigger = spec.triggers[0];
  if (spec.triggers.length !== 1 || trigger === undefined)
    throw new Error(`${name}: expected one trigger, got ${spec.triggers.length}`);
  return {
    name,
    claim: v.claim,
    trigger,
    minReplicaCount: spec.minReplicaCount,
    maxReplicaCount: spec.maxReplicaCount,
  };
}

/** The claim with `spec` fields merged over the example's. */
function withSpec(doc: Doc, spec: Doc): Doc {
  return { ...doc, spec: { ...(doc['spec'] as Doc), ...spec } };
}

const minimalDoc = exampleDoc('minimal-claim.yaml');
const minimal = renderCase('minimal-claim.yaml', minimalDoc);
const full = renderCase('full-claim.yaml', exampleDoc('full-claim.yaml'));
const toZero = renderCase(
  'minimal-claim.yaml + scaling.minReplicas: 0',
  withSpec(minimalDoc, { scaling: { minReplicas: 0 } }),
);
const wakeAbove = renderCase(
  'minimal-claim.yaml + scaling.minReplicas: 0, activationLagThreshold: 3',
  withSpec(minimalDoc, { scaling: { minReplicas: 0, activationLagThreshold: 3 } }),
);
// The original design's account: the same claim with `nats.account: $SYS`.
const sysAccount = renderCase(
  'minimal-claim.yaml + nats.account: $SYS',
  withSpec(minimalDoc, {
    nats: { ...(minimalDoc['spec'] as { nats: Doc }).nats, account: '$SYS' },
  }),
);
const examples = [minimal, full];

/** Runs KEDA's scaler on trigger metadata; harness misuse (exit status ≠ 0) throws. */
function keda(metadata: Readonly<Record<string, string>>, type = 'nats-jetstream'): Verdict {
  const request = { triggerType: type, metadata, authParams: {}, triggerIndex: 0 };
  const r = spawnSync(tool('keda-scaler'), {
    input: JSON.stringify(request),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0) throw new Error(`keda-scaler exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Verdict;
}

/** One line of what a check compared. */
function report(c: Case, field: string, expected: unknown, got: unknown): void {
  console.log(
    `keda ${VERSIONS.keda} | ${c.name} | ${field} | expected ${JSON.stringify(expected)} | got ${JSON.stringify(got)}`,
  );
}

/**
 * The replicas the HPA asks for (ignoring its 10 % tolerance around the current count, which
 * only keeps what is already running). KEDA gives the HPA an external metric with an
 * AverageValue target, for which the HPA wants `ceil(metric / target)` replicas, clamped to
 * [minReplicas, maxReplicas]; the HPA's minReplicas is at least 1, and below it KEDA itself
 * scales to `minReplicaCount` 0 while the trigger is not active.
 */
function hpaReplicas(
  metric: number,
  target: number,
  active: boolean,
  min: number,
  max: number,
): number {
  if (min === 0 && !active) return 0;
  return Math.min(max, Math.max(Math.max(min, 1), Math.ceil(metric / target)));
}

interface JszConsumer {
  readonly name: string;
  readonly num_pending: number;
  readonly num_ack_pending: number;
}
interface Jsz {
  readonly account_details?: readonly {
    readonly name: string;
    readonly id: string;
    readonly stream_detail?: readonly {
      readonly name: string;
      readonly consumer_detail?: readonly JszConsumer[];
    }[];
  }[];
}

describe(`KEDA ${VERSIONS.keda} nats-jetstream scaler on the trigger eds renders`, () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  /** Messages fetched and deliberately left un-acked. */
  const held: JsMsg[] = [];

  const endpoint = () => `127.0.0.1:${server.monitorPort}`;
  /** Our trigger's metadata with only the monitoring endpoint pointed at the loopback server. */
  const metadataOf = (c: Case): Record<string, string> => ({
    ...c.trigger.metadata,
    natsServerMonitoringEndpoint: endpoint(),
  });
  const subject = (c: Case) => `${c.claim.spec.nats.stream.toLowerCase()}.jobs`;

  /** A fresh work-queue stream and the durable consumer the worker creates for this claim. */
  async function freshStream(c: Case): Promise<void> {
    const { stream, consumer } = c.claim.spec.nats;
    held.length = 0;
    try {
      await jsm.streams.delete(stream);
    } catch {
      // not there yet
    }
    await jsm.streams.add({
      name: stream,
      subjects: [subject(c)],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
    });
    const settings = resolveSettings({ NATS_STREAM_NAME: stream, NATS_CONSUMER_GROUP: consumer });
    await jsm.consumers.add(stream, desiredConsumerConfig(settings));
  }

  async function publish(c: Case, count: number): Promise<void> {
    const js = jetstream(nc);
    const acks = [];
    for (let i = 0; i < count; i++) acks.push(js.publish(subject(c), `job ${i}`));
    await Promise.all(acks);
  }

  /** Pulls `count` messages and keeps them un-acked (they become ack pending). */
  async function fetchUnacked(c: Case, count: number): Promise<void> {
    const consumer = await jetstream(nc).consumers.get(
      c.claim.spec.nats.stream,
      c.claim.spec.nats.consumer,
    );
    const msgs = await consumer.fetch({ max_messages: count, expires: 2_000 });
    for await (const m of msgs) held.push(m);
    expect(held.length, `${c.name}: messages fetched`).toBe(count);
  }

  /** The consumer's counts as the server's monitoring endpoint reports them to us. */
  async function jszConsumer(c: Case, account = '$G'): Promise<JszConsumer | undefined> {
    const url = `http://${endpoint()}/jsz?acc=${encodeURIComponent(account)}&consumers=true`;
    const jsz = (await (await fetch(url)).json()) as Jsz;
    return jsz.account_details
      ?.find((a) => a.name === account)
      ?.stream_detail?.find((s) => s.name === c.claim.spec.nats.stream)
      ?.consumer_detail?.find((x) => x.name === c.claim.spec.nats.consumer);
  }

  /** num_pending + num_ack_pending, from /jsz and from the JetStream API; both must agree. */
  async function serverLag(c: Case): Promise<{ lag: number; detail: string }> {
    const { stream, consumer } = c.claim.spec.nats;
    const jsz = await jszConsumer(c);
    if (jsz === undefined) throw new Error(`${c.name}: /jsz has no consumer ${stream}/${consumer}`);
    const info = await jsm.consumers.info(stream, consumer);
    expect(
      [info.num_pending, info.num_ack_pending],
      `${c.name}: consumer info agrees with /jsz`,
    ).toEqual([jsz.num_pending, jsz.num_ack_pending]);
    return {
      lag: jsz.num_pending + jsz.num_ack_pending,
      detail: `num_pending ${jsz.num_pending} + num_ack_pending ${jsz.num_ack_pending}`,
    };
  }

  /** KEDA's metric, which must have been read without error. */
  function kedaLag(c: Case, metadata = metadataOf(c)): { lag: number; verdict: Verdict } {
    const verdict = keda(metadata);
    expect(verdict.constructionError, `${c.name}: construction error`).toBeNull();
    expect(verdict.metricsError, `${c.name}: metrics error`).toBeUndefined();
    if (verdict.value === undefined) throw new Error(`${c.name}: KEDA reported no metric value`);
    return { lag: verdict.value.milli / 1000, verdict };
  }

  /** KEDA's verdict at the lag now pending, whose activity must be `active`. */
  function activeAt(c: Case, lag: number, active: boolean): Verdict {
    const { verdict } = kedaLag(c);
    report(c, `isActive at lag ${lag}`, active, verdict.isActive);
    expect(verdict.isActive, `${c.name}: isActive at lag ${lag}`).toBe(active);
    return verdict;
  }

  beforeAll(async () => {
    server = await NatsServer.start();
    nc = await connectClient(server.url);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await nc.close();
    await server.dispose();
  });

  it(`is KEDA ${VERSIONS.keda}, the version versions.env pins`, () => {
    const v = keda(metadataOf(minimal));
    report(minimal, 'keda module version', VERSIONS.keda, v.keda);
    expect(v.keda, 'keda-scaler KEDA module version').toBe(VERSIONS.keda);
  });

  describe.each(examples)('$name', (c) => {
    it('emits only metadata keys KEDA parses, all strings, and KEDA builds the scaler', () => {
      for (const [key, value] of Object.entries(c.trigger.metadata))
        expect(typeof value, `${c.name}: trigger metadata ${key}`).toBe('string');
      const v = keda(metadataOf(c));
      report(c, 'construction error', null, v.constructionError);
      report(c, 'unknown metadata keys', [], v.unknownKeys);
      expect(v.constructionError, `${c.name}: construction error`).toBeNull();
      expect(v.unknownKeys, `${c.name}: metadata keys KEDA does not know`).toEqual([]);
      const metricName = `s0-nats-jetstream-${c.claim.spec.nats.stream}`;
      report(c, 'metric name', metricName, v.metricName);
      expect(v.metricName, `${c.name}: metric name`).toBe(metricName);
    });

    it('reads the lag as num_pending + num_ack_pending of the consumer', async () => {
      await freshStream(c);
      const states: [string, () => Promise<void>][] = [
        ['empty', () => Promise.resolve()],
        ['7 published, none fetched', () => publish(c, 7)],
        ['3 fetched, not acked', () => fetchUnacked(c, 3)],
        [
          '1 of them acked',
          async () => {
            await held[0]?.ackAck();
          },
        ],
        ['5 more published', () => publish(c, 5)],
      ];
      for (const [state, step] of states) {
        await step();
        const expected = await serverLag(c);
        const got = kedaLag(c).lag;
        report(c, `lag (${state})`, `${expected.lag} (${expected.detail})`, got);
        expect(got, `${c.name}: lag (${state})`).toBe(expected.lag);
      }
    });

    it('targets lagThreshold per replica, so the HPA takes ceil(lag / lagThreshold) replicas', async () => {
      const { lagThreshold, minReplicas, maxReplicas } = c.claim.spec.scaling;
      expect(
        [c.minReplicaCount, c.maxReplicaCount],
        `${c.name}: ScaledObject min/maxReplicaCount`,
      ).toEqual([minReplicas, maxReplicas]);
      for (const lag of [0, 1, 5, 6, 23, 101, 1000]) {
        await freshStream(c);
        await publish(c, lag);
        const { verdict } = kedaLag(c);
        const target = verdict.target;
        expect(target?.type, `${c.name}: metric target type`).toBe('AverageValue');
        expect(target?.averageValue?.milli, `${c.name}: metric target averageValue`).toBe(
          lagThreshold * 1000,
        );
        const value = (verdict.value?.milli ?? NaN) / 1000;
        const averageValue = (target?.averageValue?.milli ?? NaN) / 1000;
        const expected = hpaReplicas(lag, lagThreshold, lag > 0, minReplicas, maxReplicas);
        const got = hpaReplicas(
          value,
          averageValue,
          verdict.isActive === true,
          c.minReplicaCount,
          c.maxReplicaCount,
        );
        report(
          c,
          `replicas at lag ${lag}`,
          `${expected} (lagThreshold ${lagThreshold}, [${minReplicas}, ${maxReplicas}])`,
          `${got} (metric ${verdict.value?.quantity}, target ${target?.averageValue?.quantity})`,
        );
        expect(got, `${c.name}: replicas at lag ${lag}`).toBe(expected);
      }
    });
  });

  it('finds the stream in account $G, and not in $SYS (the original design)', async () => {
    const c = minimal;
    await freshStream(c);
    await publish(c, 4);
    const expected = await serverLag(c);

    const g = keda(metadataOf(c));
    console.log(
      `keda ${VERSIONS.keda} | account $G | lag ${g.value?.quantity} | error ${g.metricsError ?? 'none'}`,
    );
    expect(g.metricsError, `${c.name}: account $G metrics error`).toBeUndefined();
    expect(g.value?.milli, `${c.name}: account $G lag`).toBe(expected.lag * 1000);

    expect(sysAccount.trigger.metadata['account'], `${sysAccount.name}: account`).toBe('$SYS');
    const sys = keda(metadataOf(sysAccount));
    // What nats-server itself answers for acc=$SYS: the accounts it lists (none is $SYS).
    const url = `http://${endpoint()}/jsz?acc=%24SYS&consumers=true&config=true`;
    const listed = ((await (await fetch(url)).json()) as Jsz).account_details?.map((a) => a.name);
    console.log(
      `keda ${VERSIONS.keda} | account $SYS | lag ${sys.value?.quantity ?? 'none'} | error ${sys.metricsError ?? 'none'} | /jsz?acc=$SYS lists accounts ${JSON.stringify(listed)}`,
    );
    expect(sys.constructionError, `${sysAccount.name}: construction error`).toBeNull();
    expect(sys.unknownKeys, `${sysAccount.name}: unknown keys`).toEqual([]);
    // nats-server 2.9.10 answers an account without JetStream with the accounts that have it
    // ($G); KEDA matches none of them by name or ID, so it sees no stream and reports the
    // consumer as missing: the HPA gets no metric and the ScaledObject goes not Ready.
    const sysError = `consumer "${c.claim.spec.nats.consumer}" not found in stream "${c.claim.spec.nats.stream}"`;
    report(sysAccount, 'metrics error', sysError, sys.metricsError);
    expect(sys.metricsError, `${sysAccount.name}: metrics error`).toBe(sysError);
    expect(sys.value, `${sysAccount.name}: metric value`).toBeUndefined();
    expect(listed, `${sysAccount.name}: accounts /jsz lists for acc=$SYS`).toEqual(['$G']);
  });

  it('reports an error, not a lag, for a consumer or stream that does not exist', async () => {
    const c = minimal;
    await freshStream(c);
    await publish(c, 3);
    const noConsumer = keda({ ...metadataOf(c), consumer: 'no-such-consumer' });
    const consumerError = `consumer "no-such-consumer" not found in stream "${c.claim.spec.nats.stream}"`;
    report(c, 'metrics error (consumer no-such-consumer)', consumerError, noConsumer.metricsError);
    expect(noConsumer.constructionError, `${c.name}: construction error`).toBeNull();
    expect(noConsumer.metricsError, `${c.name}: metrics error, missing consumer`).toBe(
      consumerError,
    );
    expect(noConsumer.value, `${c.name}: metric value, missing consumer`).toBeUndefined();

    const noStream = keda({ ...metadataOf(c), stream: 'NO_SUCH_STREAM' });
    const streamError = `consumer "${c.claim.spec.nats.consumer}" not found in stream "NO_SUCH_STREAM"`;
    report(c, 'metrics error (stream NO_SUCH_STREAM)', streamError, noStream.metricsError);
    expect(noStream.metricsError, `${c.name}: metrics error, missing stream`).toBe(streamError);
  });

  it('is inactive at lag 0 and active once a message is pending, with minReplicas 0', async () => {
    const c = toZero;
    expect(c.minReplicaCount, `${c.name}: ScaledObject minReplicaCount`).toBe(0);
    expect(
      c.trigger.metadata['activationLagThreshold'],
      `${c.name}: activationLagThreshold`,
    ).toBeUndefined();
    await freshStream(c);
    const idle = activeAt(c, 0, false);
    await publish(c, 1);
    const busy = activeAt(c, 1, true);
    const replicas = (v: Verdict) =>
      hpaReplicas(
        (v.value?.milli ?? NaN) / 1000,
        (v.target?.averageValue?.milli ?? NaN) / 1000,
        v.isActive === true,
        c.minReplicaCount,
        c.maxReplicaCount,
      );
    report(c, 'replicas at lag 0, then 1', [0, 1], [replicas(idle), replicas(busy)]);
    expect([replicas(idle), replicas(busy)], `${c.name}: replicas at lag 0, then 1`).toEqual([
      0, 1,
    ]);
  });

  it('stays at zero up to activationLagThreshold and wakes above it, with minReplicas 0', async () => {
    const c = wakeAbove;
    expect(c.trigger.metadata['activationLagThreshold'], `${c.name}: activationLagThreshold`).toBe(
      '3',
    );
    const parsed = keda(metadataOf(c));
    expect(parsed.constructionError, `${c.name}: construction error`).toBeNull();
    expect(parsed.unknownKeys, `${c.name}: metadata keys KEDA does not know`).toEqual([]);
    await freshStream(c);
    await publish(c, 3);
    activeAt(c, 3, false);
    await publish(c, 1);
    activeAt(c, 4, true);
  });

  it('detects a key KEDA does not know (the check above is not vacuous)', () => {
    const v = keda({ ...metadataOf(minimal), lagTreshold: '5' });
    report(
      minimal,
      'unknown metadata keys (misspelt lagTreshold added)',
      ['lagTreshold'],
      v.unknownKeys,
    );
    expect(v.constructionError, `${minimal.name}: construction error`).toBeNull();
    expect(v.unknownKeys, `${minimal.name}: unknown metadata keys`).toEqual(['lagTreshold']);
  });
});
