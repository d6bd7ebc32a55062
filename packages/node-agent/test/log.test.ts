import { describe, expect, it } from 'vitest';
import { logLine } from '../src/log.js';

describe('logLine', () => {
  it('keeps control, bidirectional and separator characters from the API inert', () => {
    const line = logLine('pod.added', { pod: 'ns/a\u001b[2Jb\u202e\u0085\u2028' }, new Date(0));
    expect(line).toBe(
      '{"time":"1970-01-01T00:00:00.000Z","event":"pod.added","pod":"ns/a\\u001b[2Jb\\u202e\\u0085\\u2028"}',
    );
    expect(JSON.parse(line)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      event: 'pod.added',
      pod: 'ns/a\u001b[2Jb\u202e\u0085\u2028',
    });
  });
});
