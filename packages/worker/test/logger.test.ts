import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import type { LogLevel } from '../src/settings.js';
import { wrapMessage } from '../src/message.js';

/** A logger at `level` whose lines land in the returned list, parsed. */
function capture(level: LogLevel) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n'))
        if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ level, service: 'svc' }, sink), lines };
}

function decodeError(payload: string): unknown {
  const m = wrapMessage({
    data: new TextEncoder().encode(payload),
    subject: 'jobs.a',
    seq: 3,
    info: { deliveryCount: 1, timestampNanos: 0 },
  });
  try {
    m.json();
  } catch (err) {
    return err;
  }
  throw new Error('expected json() to throw');
}

describe('createLogger', () => {
  it('hides URL credentials in messages and in errors, whatever the level', () => {
    const { log, lines } = capture('info');
    const err = new Error('cannot reach nats://alice:hunter2@h:4222', {
      cause: new Error('at nats://tok3n@h:4222'),
    });
    log.error({ event: 'x', err }, 'failed at nats://alice:hunter2@h:4222');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('tok3n');
    expect(lines[0]).toMatchObject({
      message: 'failed at nats://alice:***@h:4222',
      err: { message: 'cannot reach nats://alice:***@h:4222: at nats://***@h:4222' },
    });
  });

  it('logs no payload bytes of a message that is not JSON, unless the level is debug', () => {
    const payload = '{"card":"4111 1111 1111 1111"';
    const at = (level: LogLevel) => {
      const { log, lines } = capture(level);
      log.error({ event: 'handler_failed', err: decodeError(payload) }, 'handler failed');
      return lines[0]?.['err'] as Record<string, unknown>;
    };
    for (const level of ['info', 'error'] as const) {
      expect(JSON.stringify(at(level))).not.toContain('4111');
    }
    expect(at('info')).toMatchObject({ message: 'message 3 on jobs.a is not JSON (29 bytes)' });
    expect(at('debug')).toMatchObject({
      message: 'message 3 on jobs.a is not JSON (29 bytes)',
      payloadExcerpt: payload,
    });
  });
});
