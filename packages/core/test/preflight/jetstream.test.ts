/**
 * jetStreamFindings on answers the integration test cannot get from the nats-server 2.9 it runs
 * (packages/cli/test/preflight.int.test.ts covers the rest for real): `$SYS.REQ.USER.INFO`,
 * which 2.10 and later answer (shaped as nats-server 2.12's `ServerAPIResponse`), and an account
 * at its consumer limit.
 */
import { jetStreamFindings, type JetStreamAnswers } from '@eds/core';
import { describe, expect, it } from 'vitest';
import { ordersClaim } from './claims.js';

const spec = (nats: Record<string, unknown> = {}) => ordersClaim({ nats }).spec;

const userInfo = (account: string) => ({
  server: { name: 'nats-0', version: '2.12.6' },
  data: { user: 'app', account, permissions: {} },
});

function answers(over: Partial<JetStreamAnswers> = {}): JetStreamAnswers {
  return {
    url: 'nats://127.0.0.1:4222',
    version: '2.12.6',
    account: { consumers: 3, streams: 1, limits: { max_consumers: -1, max_streams: -1 } },
    streams: ['ORDERS'],
    stream: {
      config: { name: 'ORDERS', subjects: ['orders.>'], retention: 'workqueue', max_consumers: -1 },
      state: { messages: 0, consumer_count: 0 },
    },
    ...over,
  };
}

describe('jetStreamFindings', () => {
  it('finds credentials in another account than the claim names, and stops there', () => {
    const fs = jetStreamFindings(answers({ userInfo: userInfo('ORDERS_APP') }), spec());
    expect(fs).toEqual([
      {
        check: 'account',
        severity: 'error',
        message:
          'these credentials are in account "ORDERS_APP", the claim\'s spec.nats.account is "$G": KEDA would look for the consumer in the other account',
        fix: 'set spec.nats.account: "ORDERS_APP", or connect with the credentials the worker uses',
      },
    ]);
  });

  it('confirms the account when the server says it, and goes on to the stream and consumer', () => {
    const fs = jetStreamFindings(
      answers({ userInfo: userInfo('ORDERS_APP') }),
      spec({ account: 'ORDERS_APP' }),
    );
    expect(fs.map((f) => `${f.severity} ${f.check}`)).toEqual([
      'ok account',
      'ok stream',
      'ok consumer',
    ]);
    expect(fs[0]?.message).toBe(
      'these credentials are in account "ORDERS_APP", as spec.nats.account says',
    );
  });

  it('says why the account is not checked: a 2.10+ server without a system account', () => {
    expect(jetStreamFindings(answers(), spec())[0]?.message).toContain(
      'the server did not answer $SYS.REQ.USER.INFO (it has no system account)',
    );
  });

  it('finds an account at its consumer limit when the platform would create the consumer', () => {
    const full = answers({ account: { consumers: 10, limits: { max_consumers: 10 } } });
    const fs = jetStreamFindings(full, spec());
    expect(fs.at(-1)).toMatchObject({
      check: 'consumer.limit',
      severity: 'error',
      message:
        'the account has 10 consumers, its limit (max_consumers 10): the server would refuse to create "orders-workers"',
    });
    const exists = jetStreamFindings(
      answers({
        account: { consumers: 10, limits: { max_consumers: 10 } },
        consumer: {
          name: 'orders-workers',
          config: { ack_policy: 'explicit', ack_wait: 30e9, max_deliver: 5 },
          num_pending: 0,
          num_ack_pending: 0,
        },
      }),
      spec(),
    );
    expect(exists.map((f) => f.check)).not.toContain('consumer.limit');
  });
});
