import { describe, expect, it } from 'vitest';
import { redactCredentials } from '../src/redact.js';

describe('redactCredentials', () => {
  const cases: readonly (readonly [input: string, output: string, reason: string])[] = [
    ['nats://nats.nats.svc:4222', 'nats://nats.nats.svc:4222', 'no credentials: unchanged'],
    ['nats://alice:hunter2@h:4222', 'nats://alice:***@h:4222', 'the password goes, the user stays'],
    ['nats://s3cr3t-token@h:4222', 'nats://***@h:4222', 'a token goes whole'],
    ['nats://alice:p@ss@h:4222', 'nats://alice:***@h:4222', 'a password with "@" goes whole'],
    ['tls://u:p%40x@h', 'tls://u:***@h', 'any scheme, percent-encoded'],
    [
      'nats://a:one@h1:4222,nats://b:two@h2:4222',
      'nats://a:***@h1:4222,nats://b:***@h2:4222',
      'every server of a list',
    ],
    [
      'cannot connect to nats://a:pw@h:1: refused',
      'cannot connect to nats://a:***@h:1: refused',
      'inside a sentence',
    ],
    ['user a@b.c wrote', 'user a@b.c wrote', 'an address that is not in a URL stays'],
  ];
  it.each(cases)('%s → %s (%s)', (input, output) => {
    expect(redactCredentials(input)).toBe(output);
  });
});
