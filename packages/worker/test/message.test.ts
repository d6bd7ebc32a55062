import { headers } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { MessageDecodeError } from '@eds/worker';
import { PAYLOAD_EXCERPT, wrapMessage } from '../src/message.js';
import type { RawMessage } from '../src/message.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function raw(overrides: Partial<RawMessage> = {}): RawMessage {
  return {
    data: encode('{"id":"job-1","n":2}'),
    subject: 'jobs.created',
    seq: 42,
    info: { deliveryCount: 1, timestampNanos: 1_700_000_000_123 * 1_000_000 },
    ...overrides,
  };
}

describe('wrapMessage', () => {
  it('exposes data as bytes, string and JSON', () => {
    const m = wrapMessage(raw());
    expect(m.data).toEqual(encode('{"id":"job-1","n":2}'));
    expect(m.string()).toBe('{"id":"job-1","n":2}');
    expect(m.json<{ id: string; n: number }>()).toEqual({ id: 'job-1', n: 2 });
  });

  it('exposes subject, stream sequence, delivery count and store time', () => {
    const m = wrapMessage(
      raw({ info: { deliveryCount: 3, timestampNanos: 1_700_000_000_123 * 1_000_000 } }),
    );
    expect({
      subject: m.subject,
      seq: m.seq,
      deliveryCount: m.deliveryCount,
      redelivered: m.redelivered,
    }).toEqual({
      subject: 'jobs.created',
      seq: 42,
      deliveryCount: 3,
      redelivered: true,
    });
    expect(m.timestamp.toISOString()).toBe('2023-11-14T22:13:20.123Z');
    expect(wrapMessage(raw()).redelivered).toBe(false);
  });

  it('reads headers case-insensitively, with repeated values', () => {
    const h = headers();
    h.set('Trace-Id', 'abc');
    h.append('X-Tag', 'a');
    h.append('X-Tag', 'b');
    const m = wrapMessage(raw({ headers: h }));
    expect(m.headers.get('trace-id')).toBe('abc');
    expect(m.headers.get('missing')).toBeUndefined();
    expect(m.headers.getAll('x-tag')).toEqual(['a', 'b']);
    expect(m.headers.has('TRACE-ID')).toBe(true);
    expect(m.headers.keys()).toEqual(['Trace-Id', 'X-Tag']);
    expect(m.headers.toJSON()).toEqual({ 'Trace-Id': ['abc'], 'X-Tag': ['a', 'b'] });
  });

  it('gives empty headers when the message has none', () => {
    const m = wrapMessage(raw());
    expect([
      m.headers.get('a'),
      m.headers.getAll('a'),
      m.headers.has('a'),
      m.headers.keys(),
      m.headers.toJSON(),
    ]).toEqual([undefined, [], false, [], {}]);
  });

  it('throws a non-retryable MessageDecodeError for a payload that is not JSON', () => {
    const m = wrapMessage(raw({ data: encode('not json at all') }));
    let thrown: unknown;
    try {
      m.json();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(MessageDecodeError);
    expect(thrown).toMatchObject({
      code: 'EDS_MESSAGE_NOT_JSON',
      retryable: false,
      message: 'message 42 on jobs.created is not JSON (15 bytes)',
    });
    // No payload bytes in what reaches logs at every level: not in the message, not in a cause
    // (JSON.parse's SyntaxError quotes the payload), not in an enumerable property.
    expect((thrown as Error).cause).toBeUndefined();
    expect(JSON.stringify(thrown)).not.toContain('json at all');
    expect(Object.getOwnPropertyDescriptor(thrown, PAYLOAD_EXCERPT)).toEqual({
      value: 'not json at all',
      enumerable: false,
      writable: false,
      configurable: false,
    });
  });

  it('keeps a shortened excerpt of a long non-JSON payload for debug logs', () => {
    const m = wrapMessage(raw({ data: encode('x'.repeat(200)) }));
    let thrown: unknown;
    try {
      m.json();
    } catch (err) {
      thrown = err;
    }
    expect((thrown as Record<string, unknown>)[PAYLOAD_EXCERPT]).toBe(`${'x'.repeat(80)}…`);
    expect((thrown as Error).message).toBe('message 42 on jobs.created is not JSON (200 bytes)');
  });
});
