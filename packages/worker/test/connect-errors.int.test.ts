/**
 * A worker whose NATS_URL points at nothing says why it is not ready: each failed attempt is on
 * `/ready`, and the log gets the first one at once (then at most one line per 30 s).
 */
import { describe, expect, it } from 'vitest';
import { freePort, waitFor } from './harness/ports.js';
import { trackWorkers } from './harness/suite.js';

describe('connecting to a NATS server that is not there', () => {
  const { start } = trackWorkers();

  it('logs the failure with the URL and the next retry, and puts it on /ready', async () => {
    const port = await freePort(); // nothing listens there
    const url = `nats://127.0.0.1:${port}`;
    const w = await start(() => undefined, {
      NATS_URL: url,
      NATS_STREAM_NAME: 'S',
      NATS_CONSUMER_GROUP: 'c',
    });
    await waitFor(
      'a second attempt',
      async () => {
        const body = JSON.stringify((await w.ready()).body);
        return body.includes('(attempt 2)');
      },
      10_000,
    );

    const error = `ConnectionError: connection refused (connect ECONNREFUSED 127.0.0.1:${port})`;
    const lines = w.events('nats_connect_failed');
    expect(
      lines.map(({ url, error, attempt, retryInMs, suppressed, message }) => ({
        url,
        error,
        attempt,
        retryInMs,
        suppressed,
        message,
      })),
    ).toEqual([
      {
        url,
        error,
        attempt: 1,
        retryInMs: 2000,
        suppressed: 0,
        message: `cannot connect to NATS at ${url}: ${error}; retrying every 2000 ms`,
      },
    ]);
    const { status, body } = await w.ready();
    expect(status).toBe(503);
    const checks = body['checks'] as Record<string, unknown>;
    expect(checks['nats']).toEqual({
      ok: false,
      error: expect.stringMatching(
        new RegExp(
          `^cannot connect to ${url}: ${error.replace(/[()]/g, '\\$&')}; retrying in 2000 ms \\(attempt \\d+\\)$`,
        ),
      ) as unknown,
    });
  });
});
