import { headers } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { deadLetterHeaders, headerValue } from '../src/dead-letter.js';

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
