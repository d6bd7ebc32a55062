import { describe, expect, it } from 'vitest';
import { parseNatsServers } from '../src/nats-url.js';
import type { NatsServersResult } from '../src/nats-url.js';

describe('parseNatsServers', () => {
  const cases: readonly (readonly [input: string, result: NatsServersResult, reason: string])[] = [
    [
      'nats://a:4222, nats://b:4222',
      { ok: true, value: { servers: ['nats://a:4222', 'nats://b:4222'] } },
      'no credentials',
    ],
    [
      'nats://alice:s3cr%40t@a:4222',
      { ok: true, value: { servers: ['nats://a:4222'], auth: { user: 'alice', pass: 's3cr@t' } } },
      'user and percent-encoded password',
    ],
    [
      'nats://alice:s3cr@t@a:4222',
      { ok: true, value: { servers: ['nats://a:4222'], auth: { user: 'alice', pass: 's3cr@t' } } },
      'a raw "@" in the password: the last "@" ends the user info',
    ],
    [
      'nats://tok3n@a:4222',
      { ok: true, value: { servers: ['nats://a:4222'], auth: { token: 'tok3n' } } },
      'a token',
    ],
    [
      'alice:pw@a:4222',
      { ok: true, value: { servers: ['a:4222'], auth: { user: 'alice', pass: 'pw' } } },
      'no scheme',
    ],
    [
      'nats://u:p@a:4222,nats://b:4222,nats://u:p@c:4222',
      {
        ok: true,
        value: {
          servers: ['nats://a:4222', 'nats://b:4222', 'nats://c:4222'],
          auth: { user: 'u', pass: 'p' },
        },
      },
      'the same credentials on some servers apply to all',
    ],
    [
      'nats://u:p@a:4222,nats://u:q@b:4222',
      {
        ok: false,
        problem:
          'gives different credentials for different servers; nats.js uses one set for all of them, so give it once (on the first server) or the same on each',
      },
      'different credentials per server',
    ],
    [
      'nats://u:100%@a:4222',
      {
        ok: false,
        problem:
          'has credentials that are not valid percent-encoding; write "%" as %25 (and may write "@" as %40, ":" in a user name as %3A)',
      },
      'bad percent-encoding',
    ],
    [
      'nats://@a:4222',
      { ok: false, problem: 'has an "@" with no credentials before it or no host after it' },
      'empty user info',
    ],
    [
      'nats://a:4222,',
      { ok: false, problem: 'has an empty server or whitespace inside a server' },
      'an empty server',
    ],
  ];
  it.each(cases)('%s (%s)', (input, result) => {
    expect(parseNatsServers(input)).toEqual(result);
  });
});
