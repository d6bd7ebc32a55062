import { describe, expect, it } from 'vitest';
import { formatProblems } from '../src/errors.js';
import { parseSettings } from '../src/settings-parse.js';

const base = { NATS_STREAM_NAME: 'JOBS', NATS_CONSUMER_GROUP: 'jobs-workers' };

describe('parseSettings and credentials in NATS_URL', () => {
  it('accepts them and keeps the URL as given', () => {
    const r = parseSettings({ ...base, NATS_URL: ' nats://alice:hunter2@h:4222 ' });
    expect(r.ok && r.settings.natsUrl).toBe('nats://alice:hunter2@h:4222');
  });

  it('never prints the password in a problem', () => {
    const r = parseSettings({ ...base, NATS_URL: 'nats://alice:hunter2@h:4222, ' });
    expect(r).toEqual({
      ok: false,
      problems: [
        {
          variable: 'NATS_URL',
          value: 'nats://alice:***@h:4222, ',
          message:
            '"nats://alice:***@h:4222, " is not a NATS URL; use e.g. nats://nats.nats.svc:4222 (comma-separate several)',
        },
      ],
    });
    expect(formatProblems(r.ok ? [] : r.problems)).not.toContain('hunter2');
  });

  it('rejects different credentials per server, without printing them', () => {
    const r = parseSettings({ ...base, NATS_URL: 'nats://u:one@a:4222,nats://u:two@b:4222' });
    expect(r).toEqual({
      ok: false,
      problems: [
        {
          variable: 'NATS_URL',
          value: 'nats://u:***@a:4222,nats://u:***@b:4222',
          message:
            '"nats://u:***@a:4222,nats://u:***@b:4222" gives different credentials for different servers; nats.js uses one set for all of them, so give it once (on the first server) or the same on each',
        },
      ],
    });
  });
});
