/**
 * `eds preflight` against a real nats-server: each misconfiguration it claims to find, found, with
 * the exit code and the fix; and a healthy set-up passes with the lag and replica count KEDA would
 * see. The server and the JetStream objects are made here; the claim is written per case.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AckPolicy,
  DeliverPolicy,
  jetstreamManager,
  RetentionPolicy,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsServer } from '../../worker/test/harness/nats-server.js';
import {
  connectClient,
  createStream,
  jobIds,
  publishJobs,
} from '../../worker/test/harness/jetstream.js';
import { freePort } from '../../worker/test/harness/ports.js';
import { eds } from './run.js';

interface Finding {
  readonly check: string;
  readonly severity: string;
  readonly message: string;
  readonly fix?: string;
}

let server: NatsServer;
let nc: NatsConnection;
let jsm: JetStreamManager;
const dir = mkdtempSync(join(tmpdir(), 'eds-preflight-'));

beforeAll(async () => {
  server = await NatsServer.start();
  nc = await connectClient(server.url);
  jsm = await createStream(nc, 'ORDERS', ['orders.>']);
  // The worker's own settings, with 12 jobs waiting.
  await jsm.consumers.add('ORDERS', {
    durable_name: 'orders-workers',
    ack_policy: AckPolicy.Explicit,
    ack_wait: 30e9,
    max_deliver: 5,
    deliver_policy: DeliverPolicy.All,
  });
  await publishJobs(nc, 'orders.new', jobIds('job', 12));
  // Settings a worker must not be given, and a limit maxReplicas would hit.
  // A work queue insists on explicit acks, so the consumer without them is on a limits stream.
  await createStream(nc, 'AUDIT', ['audit.>'], RetentionPolicy.Limits);
  await jsm.consumers.add('AUDIT', {
    durable_name: 'no-acks',
    ack_policy: AckPolicy.None,
    deliver_subject: 'push.no-acks',
    max_deliver: -1,
  });
  await jsm.consumers.add('AUDIT', {
    durable_name: 'narrow',
    ack_policy: AckPolicy.Explicit,
    ack_wait: 30e9,
    max_deliver: 5,
    max_ack_pending: 20,
  });
  // A stream that takes one consumer, which it has.
  await jsm.streams.add({ name: 'LIMITED', subjects: ['limited.>'], max_consumers: 1 });
  await jsm.consumers.add('LIMITED', { durable_name: 'taken', ack_policy: AckPolicy.Explicit });
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

function claimFile(nats: Record<string, unknown>, scaling: Record<string, unknown> = {}): string {
  const path = join(dir, `claim-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'platform.bizmatters.io/v1alpha1',
      kind: 'EventDrivenService',
      metadata: { name: 'orders', namespace: 'shop' },
      spec: {
        image: 'ghcr.io/org/orders:1.0.0',
        nats: { stream: 'ORDERS', consumer: 'orders-workers', ...nats },
        scaling,
      },
    }),
  );
  return path;
}

interface Report {
  readonly claims: { sections: { source: string; target: string; findings: Finding[] }[] }[];
  readonly errors: number;
}

/** Through the monitoring endpoint (KEDA's view), or with `--no-monitoring --nats …` given. */
async function preflight(file: string, extra: readonly string[] = []) {
  const endpoint = extra.includes('--no-monitoring')
    ? []
    : ['--monitoring', `127.0.0.1:${server.monitorPort}`];
  const r = await eds(['preflight', file, ...endpoint, '--format', 'json', ...extra]);
  const report = JSON.parse(r.stdout) as Report;
  const findings = report.claims.flatMap((c) => c.sections.flatMap((s) => s.findings));
  const of = (check: string) => findings.find((f) => f.check === check);
  return { code: r.code, report, findings, of, stderr: r.stderr };
}

/** Through the JetStream API only. */
const viaApi = (file: string, url = server.url) =>
  preflight(file, ['--no-monitoring', '--nats', url]);

describe('eds preflight against a real nats-server', () => {
  it('passes a claim whose account, stream and consumer are right, with the lag KEDA reads', async () => {
    const r = await preflight(claimFile({}, { lagThreshold: 5, maxReplicas: 10 }));
    expect(r.code).toBe(0);
    expect(r.findings.filter((f) => f.severity !== 'ok')).toEqual([]);
    expect(r.of('stream')?.message).toContain('work queue');
    expect(r.of('lag')?.message).toBe(
      'lag 12 (12 pending, 0 unacknowledged): KEDA and the HPA would settle on 3 replicas (ceil(12 / lagThreshold 5) = 3, within 1–10)',
    );
  });

  it('finds a missing stream, and names the streams that exist', async () => {
    const r = await preflight(claimFile({ stream: 'ORDRES' }));
    expect(r.code).toBe(1);
    expect(r.of('stream')?.severity).toBe('error');
    expect(r.of('stream')?.message).toContain('(streams there: "AUDIT", "LIMITED", "ORDERS")');
  });

  it('finds a wrong account, and says which to set', async () => {
    const r = await preflight(claimFile({ account: 'APP' }));
    expect(r.code).toBe(1);
    expect(r.of('account')).toMatchObject({
      severity: 'error',
      fix: 'set spec.nats.account: "$G"',
    });
  });

  it('finds a missing consumer that no pod would create at minReplicas 0, and accepts it when NACK makes it', async () => {
    const alone = await preflight(claimFile({ consumer: 'later' }, { minReplicas: 0 }));
    expect(alone.code).toBe(1);
    expect(alone.of('consumer')?.severity).toBe('error');
    expect(alone.of('consumer')?.fix).toContain('spec.nats.managedConsumer: true');
    const managed = await preflight(
      claimFile({ consumer: 'later', managedConsumer: true }, { minReplicas: 0 }),
    );
    expect(managed.code).toBe(0);
    expect(managed.of('consumer')?.message).toContain('NACK creates it');
    const firstPod = await preflight(claimFile({ consumer: 'later' }));
    expect(firstPod.code).toBe(0);
    expect(firstPod.of('consumer')?.message).toContain('the first worker pod creates it');
  });

  it('finds a consumer the worker must not use: push, no acks, unlimited redelivery', async () => {
    const r = await preflight(claimFile({ stream: 'AUDIT', consumer: 'no-acks' }));
    expect(r.code).toBe(1);
    expect(r.of('stream')?.message).toContain('retention limits: acknowledged messages stay');
    expect(r.of('consumer.ackPolicy')).toMatchObject({ severity: 'error' });
    expect(r.of('consumer.ackPolicy')?.message).toContain('ack policy is none');
    expect(r.of('consumer.deliverSubject')?.message).toContain(
      'push consumer (deliver subject "push.no-acks")',
    );
    expect(r.of('consumer.maxDeliver')).toMatchObject({ severity: 'warning' });
  });

  it('warns when max_ack_pending caps the replicas that get work', async () => {
    const r = await preflight(
      claimFile({ stream: 'AUDIT', consumer: 'narrow' }, { maxReplicas: 10 }),
    );
    expect(r.code).toBe(0);
    expect(r.of('consumer.maxAckPending')?.severity).toBe('warning');
    expect(r.of('consumer.maxAckPending')?.message).toContain(
      'fewer than maxReplicas 10 × concurrency 5 = 50: replicas beyond 4',
    );
  });

  it('reports an unreachable endpoint as an error with how to reach it, within the timeout', async () => {
    const port = await freePort();
    const r = await eds([
      'preflight',
      claimFile({}),
      '--monitoring',
      `127.0.0.1:${port}`,
      '--timeout',
      '2',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error   endpoint:');
    expect(r.stdout).toContain('kubectl port-forward');
    expect(r.stdout).toMatch(/1 error, 0 warnings\n$/);
  });

  it('says an endpoint that is not a NATS monitoring port is not one', async () => {
    // The client port answers HTTP with the NATS INFO line, which is not JSON.
    const r = await eds([
      'preflight',
      claimFile({}),
      '--monitoring',
      `127.0.0.1:${server.port}`,
      '--timeout',
      '2',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('endpoint:');
  });

  it('writes GitHub annotations for what is wrong only, escaped', async () => {
    const r = await eds([
      'preflight',
      claimFile({ stream: 'ORDRES' }),
      '--monitoring',
      `127.0.0.1:${server.monitorPort}`,
      '--format',
      'github',
    ]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^::error file=[^,]+,title=preflight orders%3A stream::stream "ORDRES"/,
    );
  });

  it('refuses bad options with one line and exit 2', async () => {
    const nothing = await eds(['preflight', claimFile({}), '--no-monitoring']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('--no-monitoring leaves nothing to check');
    const creds = await eds(['preflight', claimFile({}), '--creds', '/nonexistent.creds']);
    expect(creds.code).toBe(2);
    expect(creds.stderr).toContain('--creds needs --nats URL');
    const nats = await eds(['preflight', claimFile({}), '--nats', 'nats://a:b@x,nats://c:d@y']);
    expect(nats.code).toBe(2);
    expect(nats.stderr).toContain('--nats gives different credentials for different servers');
    expect(nats.stderr).not.toContain('a:b');
    const file = claimFile({});
    const timeout = await eds(['preflight', file, '--timeout', 'soon']);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain('--timeout "soon" is not a number of seconds');
    const monitoring = await eds(['preflight', file, '--monitoring', 'http://nats:8222']);
    expect(monitoring.code).toBe(2);
    expect(monitoring.stderr).toContain('is not host:port; e.g. --monitoring 127.0.0.1:8222');
  });
});

describe('eds preflight --nats, through the JetStream API', () => {
  it('passes the same healthy claim, with the same lag, and says why the account is not checked on 2.9', async () => {
    const r = await viaApi(claimFile({}, { lagThreshold: 5, maxReplicas: 10 }));
    expect(r.code).toBe(0);
    expect(r.report.claims[0]?.sections.map((s) => s.source)).toEqual(['jetstream']);
    expect(r.findings.filter((f) => f.severity !== 'ok')).toEqual([]);
    expect(r.of('account')?.message).toContain('nats-server 2.9 does not say which account');
    expect(r.of('lag')?.message).toContain('lag 12 (12 pending, 0 unacknowledged)');
  });

  it('reports both views when both are asked for, in the order monitoring, JetStream', async () => {
    const r = await preflight(claimFile({}), ['--nats', server.url]);
    expect(r.code).toBe(0);
    expect(r.report.claims[0]?.sections.map((s) => s.source)).toEqual(['monitoring', 'jetstream']);
  });

  it('finds a missing stream, a missing consumer and a consumer the worker must not use', async () => {
    const stream = await viaApi(claimFile({ stream: 'ORDRES' }));
    expect(stream.code).toBe(1);
    expect(stream.of('stream')?.message).toContain('(streams there: "AUDIT", "LIMITED", "ORDERS")');
    const consumer = await viaApi(claimFile({ consumer: 'later' }, { minReplicas: 0 }));
    expect(consumer.code).toBe(1);
    expect(consumer.of('consumer')?.fix).toContain('spec.nats.managedConsumer: true');
    const bad = await viaApi(claimFile({ stream: 'AUDIT', consumer: 'no-acks' }));
    expect(bad.code).toBe(1);
    expect(bad.of('consumer.ackPolicy')?.severity).toBe('error');
    expect(bad.of('consumer.deliverSubject')?.severity).toBe('error');
  });

  it('finds a stream at its consumer limit, which would refuse the consumer the first pod adds', async () => {
    const r = await viaApi(claimFile({ stream: 'LIMITED', consumer: 'new-workers' }));
    expect(r.code).toBe(1);
    expect(r.of('consumer')?.message).toContain('the first worker pod creates it');
    expect(r.of('consumer.limit')).toMatchObject({
      severity: 'error',
      message:
        'the stream "LIMITED" has 1 consumers, its limit (max_consumers 1): the server would refuse to create "new-workers"',
    });
  });

  it('reports a server it cannot reach within the timeout, and never prints the password', async () => {
    const port = await freePort();
    const started = Date.now();
    const r = await preflight(claimFile({}), [
      '--no-monitoring',
      '--nats',
      `nats://app:hunter2@127.0.0.1:${port}`,
      '--timeout',
      '2',
    ]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    expect(r.of('connection')?.message).toContain(
      `could not connect to nats://app:***@127.0.0.1:${port}`,
    );
    expect(r.report.claims[0]?.sections[0]?.target).toBe(`nats://app:***@127.0.0.1:${port}`);
    expect(JSON.stringify(r.report)).not.toContain('hunter2');
  });

  it('connects with the credentials in the URL, and reports refused ones without them', async () => {
    const guarded = await NatsServer.start(['--user', 'app', '--pass', 'hunter2']);
    try {
      const wrong = await viaApi(claimFile({}), `nats://app:wrong@127.0.0.1:${guarded.port}`);
      expect(wrong.code).toBe(1);
      expect(wrong.of('connection')?.message).toMatch(/authorization|authentication/i);
      expect(JSON.stringify(wrong.report)).not.toContain('wrong@');
      const right = await viaApi(claimFile({}), `nats://app:hunter2@127.0.0.1:${guarded.port}`);
      // A new server: JetStream is there, the stream is not.
      expect(right.of('stream')?.severity).toBe('error');
      expect(JSON.stringify(right.report)).not.toContain('hunter2');
    } finally {
      await guarded.stop();
    }
  });
});

describe('eds preflight --kubeconfig, without a cluster', () => {
  // The cluster suite runs the checks against a real API server (cluster/suite/preflight).
  function kubeconfig(server: string): string {
    const path = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
    writeFileSync(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: here, cluster: { server: "' + server + '" } }]',
        'users: [{ name: me, user: { token: kube-secret-token } }]',
        'contexts: [{ name: dev, context: { cluster: here, user: me } }]',
        'current-context: dev',
      ].join('\n'),
    );
    return path;
  }

  it('reports an API server it cannot reach as one finding, within the timeout', async () => {
    const port = await freePort();
    const r = await preflight(claimFile({}), [
      '--no-monitoring',
      '--kubeconfig',
      kubeconfig(`https://127.0.0.1:${port}`),
      '--timeout',
      '2',
    ]);
    expect(r.code).toBe(1);
    expect(r.report.claims[0]?.sections[0]?.target).toBe(`context dev (https://127.0.0.1:${port})`);
    expect(r.findings).toHaveLength(1);
    expect(r.of('cluster')?.message).toContain(
      `the API server of context dev (https://127.0.0.1:${port}) gave`,
    );
    expect(JSON.stringify(r.report)).not.toContain('kube-secret-token');
  });

  it('refuses a kubeconfig that is not there, and a context it does not have, naming those it has', async () => {
    const gone = await eds(['preflight', claimFile({}), '--kubeconfig', join(dir, 'none')]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('--kubeconfig');
    expect(gone.stderr).toContain('ENOENT');
    const context = await eds([
      'preflight',
      claimFile({}),
      '--kubeconfig',
      kubeconfig('https://127.0.0.1:6443'),
      '--context',
      'prod',
    ]);
    expect(context.code).toBe(2);
    expect(context.stderr).toContain('the kubeconfig has no context "prod" (contexts: "dev")');
  });
});

describe('eds preflight against a three-server JetStream cluster', () => {
  const servers: NatsServer[] = [];

  beforeAll(async () => {
    const routes = [await freePort(), await freePort(), await freePort()];
    const all = routes.map((p) => `nats://127.0.0.1:${p}`).join(',');
    // Together: each server's /healthz answers only once the cluster has a meta leader.
    servers.push(
      ...(await Promise.all(
        routes.map((port, i) =>
          NatsServer.start([
            '--server_name',
            `n${i + 1}`,
            '--cluster_name',
            'eds',
            '--cluster',
            `nats://127.0.0.1:${port}`,
            '--routes',
            all,
          ]),
        ),
      )),
    );
    const client = await connectClient(servers[0]?.url ?? '');
    const manager = await jetstreamManager(client);
    await manager.streams.add({
      name: 'ORDERS',
      subjects: ['orders.>'],
      retention: RetentionPolicy.Workqueue,
      num_replicas: 3,
    });
    await manager.consumers.add('ORDERS', {
      durable_name: 'orders-workers',
      ack_policy: AckPolicy.Explicit,
      ack_wait: 30e9,
      max_deliver: 5,
    });
    await publishJobs(client, 'orders.new', jobIds('job', 4));
    await client.close();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.dispose()));
  });

  it("names the consumer's leader KEDA reads, and warns when the figures come from a follower", async () => {
    const seen = [];
    for (const node of servers) {
      const r = await eds([
        'preflight',
        claimFile({}),
        '--monitoring',
        `127.0.0.1:${node.monitorPort}`,
        '--format',
        'json',
      ]);
      const report = JSON.parse(r.stdout) as Report;
      const findings = report.claims.flatMap((c) => c.sections.flatMap((x) => x.findings));
      const cluster = findings.find((f) => f.check === 'cluster');
      expect(r.code).toBe(0);
      expect(cluster?.message).toContain('the server is one of 3 in a cluster');
      expect(cluster?.message).toContain(
        'asking each of the 3 servers the cluster advertises (/varz connect_urls) on port 8222',
      );
      expect(findings.find((f) => f.check === 'lag')?.message).toContain('lag 4 (4 pending');
      seen.push(cluster?.severity);
    }
    // One server leads the consumer; the other two are followers.
    expect(seen.sort()).toEqual(['ok', 'warning', 'warning']);
  });
});
