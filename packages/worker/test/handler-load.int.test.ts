/**
 * Handler modules that fail oddly make `eds-worker` exit 2 with one line on stderr, one JSON log
 * line on stdout and no stack trace, within the handler load timeout (10 s).
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, WORKER_BIN, ensureBuilt, fixture } from './harness/worker-process.js';

function run(name: string): { status: number | null; stdout: string; stderr: string; ms: number } {
  const started = Date.now();
  const result = spawnSync(process.execPath, [WORKER_BIN, fixture(name)], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      NATS_STREAM_NAME: 'JOBS',
      NATS_CONSUMER_GROUP: 'jobs-workers',
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    ms: Date.now() - started,
  };
}

describe('eds-worker with a handler module that fails oddly', () => {
  beforeAll(() => {
    ensureBuilt();
  });

  it.each([
    [
      'throw-null-proto-handler.js',
      'EDS_HANDLER_IMPORT_FAILED',
      'cannot import {path}: a value that is not an Error: {}',
    ],
    [
      'throw-proxy-handler.js',
      'EDS_HANDLER_IMPORT_FAILED',
      'cannot import {path}: Error: proxy trap',
    ],
    [
      'proxy-checks-handler.js',
      'EDS_HANDLER_BAD_EXPORTS',
      '{path}: reading its exports failed: Error: readinessChecks cannot be listed',
    ],
    [
      'never-loads-handler.js',
      'EDS_HANDLER_LOAD_TIMEOUT',
      '{path} did not finish loading within 10000 ms: its top-level code (a top-level await?) has not settled',
    ],
  ])('%s: exit 2, %s, one line', (name, code, text) => {
    const r = run(name);
    const message = text.replace('{path}', fixture(name));
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 2,
      stderr: `eds-worker: ${message}\n`,
    });
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      {
        level: 'fatal',
        timestamp: expect.any(String) as unknown,
        service: 'jobs-workers',
        event: 'handler_load_failed',
        code,
        message,
      },
    ]);
    // Quick failures are quick; the one that never loads takes the 10 s load timeout, no more.
    if (code === 'EDS_HANDLER_LOAD_TIMEOUT') {
      expect(r.ms).toBeGreaterThanOrEqual(10_000);
      expect(r.ms).toBeLessThan(15_000);
    } else {
      expect(r.ms).toBeLessThan(5_000);
    }
  });
});
