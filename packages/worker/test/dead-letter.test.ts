import { TimeoutError, headers } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import {
  deadLetterError,
  deadLetterHeaders,
  encodedHeaderBytes,
  headerValue,
} from '../src/dead-letter.js';

const origin = {
  stream: 'SIMPLE_JOBS',
  consumer: 'simple-workers',
  subject: 'jobs.created',
  sequence: 17,
  deliveries: 5,
  error: 'Error: boom',
  failedAt: new Date('2025-01-02T03:04:05.006Z'),
};

describe('deadLetterHeaders', () => {
  it('names the origin and the last error, keeping application headers but not Nats-* ones', () => {
    const original = headers();
    original.set('Trace-Id', 'abc');
    original.set('Nats-Msg-Id', 'job-17');
    original.set('Nats-Expected-Stream', 'SIMPLE_JOBS');
    const h = deadLetterHeaders(origin, original);
    expect(Object.fromEntries([...h].map(([k, v]) => [k, [...v]]))).toEqual({
      'Trace-Id': ['abc'],
      'Eds-Origin-Stream': ['SIMPLE_JOBS'],
      'Eds-Origin-Consumer': ['simple-workers'],
      'Eds-Origin-Subject': ['jobs.created'],
      'Eds-Origin-Sequence': ['17'],
      'Eds-Deliveries': ['5'],
      'Eds-Last-Error': ['Error: boom'],
      'Eds-Failed-At': ['2025-01-02T03:04:05.006Z'],
    });
  });
});

describe('headerValue', () => {
  it('folds lines and bounds the length', () => {
    expect(headerValue('Error: first\r\n  at x\nat y')).toBe('Error: first   at x at y');
    const long = headerValue('e'.repeat(5_000));
    expect(long).toHaveLength(1_024);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('deadLetterError', () => {
  const named = (name: string, message: string): Error =>
    Object.assign(new Error(message), { name });
  it.each([
    {
      reason: 'no-stream',
      err: named('JetStreamNotEnabled', 'jetstream is not enabled'),
      message:
        "no stream captures dead-letter.JOBS; create one, e.g. nats stream add DEAD_LETTERS --subjects 'dead-letter.JOBS'",
    },
    {
      reason: 'too-large',
      err: named('InvalidArgumentError', "'payload' max_payload size exceeded"),
      message: "the copy is larger than max_payload ('payload' max_payload size exceeded)",
    },
    {
      reason: 'timeout',
      err: new TimeoutError(),
      message: 'JetStream did not answer within 5000 ms',
    },
    { reason: 'other', err: new Error('boom'), message: 'Error: boom' },
  ])('$reason', ({ reason, err, message }) => {
    const e = deadLetterError(err, 'dead-letter.JOBS');
    expect([e.reason, e.message, e.cause]).toEqual([reason, message, err]);
  });
});

describe('encodedHeaderBytes', () => {
  it('counts the headers as nats.js encodes them', () => {
    const h = headers();
    h.set('Eds-Origin-Stream', 'JOBS');
    h.append('X-Many', 'a');
    h.append('X-Many', 'ünï');
    expect(encodedHeaderBytes(h)).toBe((h as unknown as { encode(): Uint8Array }).encode().length);
  });
});
