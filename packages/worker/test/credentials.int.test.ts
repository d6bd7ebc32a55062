/**
 * Credentials in NATS_URL authenticate (nats.js ignores them in a server URL; the worker passes
 * them as options), and are never printed: not in logs, not in `/ready`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createStream } from './harness/jetstream.js';
import type { InProcessWorker } from './harness/in-process.js';
import { waitFor } from './harness/ports.js';
import { natsSuite } from './harness/suite.js';

const USER = 'alice';
const PASS = 's3cr@t-pw';

describe('credentials in NATS_URL', () => {
  const suite = natsSuite({
    serverArgs: ['--user', USER, '--pass', PASS],
    connect: { user: USER, pass: PASS },
  });
  const hostPort = (): string => `127.0.0.1:${suite.server().port}`;
  const start = (url: string): Promise<InProcessWorker> =>
    suite.start(() => undefined, suite.env('AUTH', { NATS_URL: url }));

  beforeAll(async () => {
    await createStream(suite.nc(), 'AUTH', ['auth.>']);
  });

  it('authenticates with user:password@ (percent-encoded) and prints neither', async () => {
    const w = await start(`nats://${USER}:${encodeURIComponent(PASS)}@${hostPort()}`);
    await waitFor('ready', async () => (await w.ready()).status === 200, 10_000);
    const text = JSON.stringify(w.lines) + JSON.stringify((await w.ready()).body);
    expect(text).not.toContain('s3cr');
    expect(w.events('nats_connected').map((l) => l.server)).toEqual([hostPort()]);
  });

  it('says why a wrong password is refused, without printing it', async () => {
    const w = await start(`nats://${USER}:wrong-pw@${hostPort()}`);
    await waitFor('a failed attempt', () => w.events('nats_connect_failed').length > 0, 10_000);
    const { status, body } = await w.ready();
    expect(status).toBe(503);
    const checks = body['checks'] as Record<string, { error?: string }>;
    expect(checks['nats']?.error).toMatch(
      new RegExp(
        `^cannot connect to nats://alice:\\*\\*\\*@${hostPort()}: AuthorizationError: Authorization Violation; retrying in 2000 ms \\(attempt \\d+\\)$`,
      ),
    );
    expect(w.events('nats_connect_failed')[0]).toMatchObject({
      url: `nats://alice:***@${hostPort()}`,
      error: 'AuthorizationError: Authorization Violation',
    });
    expect(JSON.stringify(w.lines) + JSON.stringify(body)).not.toContain('wrong-pw');
  });
});
