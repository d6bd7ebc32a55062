import { describe, expect, it } from 'vitest';
import { Readiness } from '../src/readiness.js';

describe('Readiness', () => {
  it('starts unready until connected and bound', async () => {
    const r = new Readiness();
    expect(await r.evaluate()).toEqual({
      ready: false,
      checks: {
        nats: { ok: false, error: 'not connected yet' },
        consumer: { ok: false, error: 'not bound yet' },
        shutdown: { ok: true },
        deadLetters: { ok: true },
      },
    });
    r.set('nats', undefined);
    r.set('consumer', undefined);
    expect(await r.evaluate()).toEqual({
      ready: true,
      checks: {
        nats: { ok: true },
        consumer: { ok: true },
        shutdown: { ok: true },
        deadLetters: { ok: true },
      },
    });
    expect(r.coreReady).toBe(true);
    r.set('shutdown', 'shutting down (SIGTERM)');
    expect((await r.evaluate()).ready).toBe(false);
    expect(r.coreReady).toBe(false);
  });

  it('runs application checks and names each failure', async () => {
    const r = new Readiness(
      {
        database: () => Promise.resolve(false),
        cache: () => Promise.reject(new Error('connection refused')),
        queue: () => new Promise(() => undefined),
        config: () => 'anything but false passes',
      },
      50,
    );
    r.set('nats', undefined);
    r.set('consumer', undefined);
    expect(await r.evaluate()).toEqual({
      ready: false,
      checks: {
        nats: { ok: true },
        consumer: { ok: true },
        shutdown: { ok: true },
        deadLetters: { ok: true },
        database: { ok: false, error: 'returned false' },
        cache: { ok: false, error: 'Error: connection refused' },
        queue: { ok: false, error: 'timed out after 50 ms' },
        config: { ok: true },
      },
    });
  });

  it('refuses a check named like a built-in one', () => {
    expect(() => new Readiness({ nats: () => true })).toThrow(
      'readiness check name "nats" is reserved by the worker; rename it',
    );
  });
});
