/**
 * natsFindings on answers a real server gives but the integration test cannot make with the
 * nats-server 2.9 it runs (packages/cli/test/preflight.int.test.ts covers the rest for real):
 * JetStream off, a 2.12 server that leaves account details out, several accounts, a lag below the
 * activation threshold. The /jsz shapes are nats-server 2.9.10's, trimmed.
 */
import { natsFindings, type Monitoring } from '@eds/core';
import { describe, expect, it } from 'vitest';
import { ordersClaim } from './claims.js';

const spec = (nats: Record<string, unknown> = {}, scaling: Record<string, unknown> = {}) =>
  ordersClaim({ nats, scaling }).spec;

const consumer = (config: Record<string, unknown>, pending = 0, ackPending = 0) => ({
  stream_name: 'ORDERS',
  name: 'orders-workers',
  config: {
    durable_name: 'orders-workers',
    deliver_policy: 'all',
    ack_policy: 'explicit',
    ack_wait: 30e9,
    max_deliver: 5,
    max_ack_pending: 1000,
    ...config,
  },
  num_ack_pending: ackPending,
  num_pending: pending,
});

const jsz = (accounts: unknown[]) => ({
  server_id: 'N',
  config: { max_memory: 1, max_storage: 1 },
  account_details: accounts,
});

const account = (name: string, consumers: unknown[] = [consumer({})]) => ({
  name,
  id: name,
  stream_detail: [
    {
      name: 'ORDERS',
      config: { name: 'ORDERS', subjects: ['orders.>'], retention: 'workqueue' },
      consumer_detail: consumers,
    },
  ],
});

const at = (answer: unknown, varz?: unknown): Monitoring => ({
  endpoint: 'mon:8222',
  jsz: answer,
  ...(varz === undefined ? {} : { varz }),
});

describe('natsFindings', () => {
  it('says a server without JetStream has none', () => {
    const off = { server_id: 'N', disabled: true, config: { max_memory: 0, max_storage: 0 } };
    expect(natsFindings(at(off), spec())).toEqual([
      expect.objectContaining({ check: 'jetstream', severity: 'error' }),
    ]);
  });

  it('names KEDA issue #8165 when a 2.12 server leaves the account details out', () => {
    const [f] = natsFindings(at(jsz([]), { version: '2.12.1' }), spec());
    expect(f).toMatchObject({ check: 'account', severity: 'error' });
    expect(f?.message).toContain('nats-server 2.12 left account details out of /jsz?acc=$G');
    expect(f?.message).toContain('#8165');
  });

  it('lists the accounts there are, and leaves the choice when there are several', () => {
    const [f] = natsFindings(at(jsz([account('A'), account('B')])), spec({ account: 'C' }));
    expect(f?.message).toContain('(accounts with JetStream: "A", "B")');
    expect(f?.fix).toBe('set spec.nats.account to the account that holds the stream');
  });

  it('refuses an answer that is not an object', () => {
    expect(natsFindings(at([1, 2]), spec())).toMatchObject([
      { check: 'endpoint', severity: 'error' },
    ]);
  });

  it('counts unacknowledged messages in the lag, and keeps minReplicas below the activation threshold', () => {
    const idle = natsFindings(
      at(jsz([account('$G', [consumer({}, 2, 1)])])),
      spec({}, { minReplicas: 0, activationLagThreshold: 3, maxReplicas: 10 }),
    );
    expect(idle.find((f) => f.check === 'lag')?.message).toBe(
      'lag 3 (2 pending, 1 unacknowledged): KEDA and the HPA would settle on 0 replicas (lag 3 is not above activationLagThreshold 3, so KEDA keeps minReplicas)',
    );
    const busy = natsFindings(
      at(jsz([account('$G', [consumer({}, 4000, 50)])])),
      spec({}, { lagThreshold: 10, maxReplicas: 20 }),
    );
    expect(busy.find((f) => f.check === 'lag')?.message).toContain(
      'would settle on 20 replicas (ceil(4050 / lagThreshold 10) = 405, within 1–20)',
    );
  });

  it('warns of an ack wait other than the worker’s, and a delivery limit', () => {
    const f = natsFindings(
      at(jsz([account('$G', [consumer({ ack_wait: 5e9, max_deliver: 10 })])])),
      spec(),
    );
    expect(f.find((x) => x.check === 'consumer.ackWait')?.message).toContain(
      "ack wait is 5s, the worker's 30s",
    );
    expect(f.find((x) => x.check === 'consumer.maxDeliver')?.message).toContain(
      "at most 10 times, the worker's 5",
    );
    expect(f.every((x) => x.severity !== 'error')).toBe(true);
  });

  it('says what an ack wait longer than the grace period means for a pod scaled in', () => {
    const f = natsFindings(at(jsz([account('$G', [consumer({ ack_wait: 600e9 })])])), spec());
    expect(f.find((x) => x.check === 'consumer.ackWait')?.message).toMatch(
      /; a message a pod abandons when its 30s grace period ends waits 600s for another replica$/,
    );
  });

  describe('a clustered server, as KEDA walks it to the consumer leader', () => {
    // /jsz and /varz of a nats-server 2.9.10 in a three-server cluster, trimmed.
    const clustered = {
      ...jsz([account('$G', [{ ...consumer({}), cluster: { name: 'c', leader: 'n1' } }])]),
      meta_cluster: { name: 'c', leader: 'n2', cluster_size: 3 },
    };
    const varz = (name: string, connect_urls: string[]) => ({
      server_name: name,
      connect_urls,
      cluster: { name: 'c', urls: ['nats-0.nats-headless:6222', 'nats-1.nats-headless:6222'] },
    });
    const check = (v: unknown, nats: Record<string, unknown> = {}) =>
      natsFindings(at(clustered, v), spec(nats)).find((f) => f.check === 'cluster');

    it("says the leader is where KEDA reads, and whether these figures are the leader's", () => {
      expect(check(varz('n1', ['10.0.0.1:4222', '10.0.0.2:4222', '10.0.0.3:4222']))).toMatchObject({
        severity: 'ok',
      });
      const follower = check(varz('n3', ['10.0.0.1:4222']));
      expect(follower?.severity).toBe('warning');
      expect(follower?.message).toContain('from n3, a follower');
    });

    it('names the host KEDA asks when the servers do not advertise, and refuses an address there', () => {
      const named = check(varz('n1', []));
      expect(named?.message).toContain(
        'KEDA asks n1.nats-headless.nats.svc.cluster.local:8222: spec.nats.monitoringEndpoint must be the headless Service',
      );
      const address = check(varz('n1', []), { monitoringEndpoint: '10.96.0.10:8222' });
      expect(address).toMatchObject({ severity: 'error' });
      expect(address?.message).toContain('KEDA would ask n1.10.96.0.10:8222');
    });

    it('says nothing of clusters for a single server', () => {
      expect(
        natsFindings(at(jsz([account('$G')]), varz('n1', [])), spec()).map((f) => f.check),
      ).not.toContain('cluster');
    });
  });
});
