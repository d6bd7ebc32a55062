import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageDecodeError, PermanentError } from '@eds/worker';
import type { HandlerContext } from '@eds/worker';
import handleJob, {
  countWords,
  parseJob,
  readinessChecks,
} from '../../../examples/worker/handler.js';
import { wrapMessage } from '../src/message.js';

const message = (body: string, seq = 7) =>
  wrapMessage({
    data: new TextEncoder().encode(body),
    subject: 'jobs.simple',
    seq,
    info: { deliveryCount: 1, timestampNanos: 0 },
  });

const context: HandlerContext = {
  signal: new AbortController().signal,
  log: pino({ level: 'silent' }),
  stream: 'SIMPLE_JOBS',
  consumer: 'simple-workers',
  working: () => undefined,
};

describe('example simple-worker', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eds-example-'));
    process.env['RESULTS_DIR'] = dir;
  });
  afterEach(() => {
    delete process.env['RESULTS_DIR'];
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['hello event driven world', { words: 4, characters: 24 }],
    ['  spaced\tout\n', { words: 2, characters: 13 }],
    ['', { words: 0, characters: 0 }],
  ])('counts %j', (text, expected) => {
    expect(countWords(text)).toEqual(expected);
  });

  it('writes the result for a job, and the same result again when the job is redelivered', async () => {
    const job = message('{"id":"job-1","text":"hello event driven world"}');
    await handleJob(job, context);
    const first = readFileSync(join(dir, 'job-1.json'), 'utf8');
    expect(JSON.parse(first)).toEqual({ id: 'job-1', seq: 7, words: 4, characters: 24 });
    await handleJob(job, context);
    expect(readFileSync(join(dir, 'job-1.json'), 'utf8')).toBe(first);
  });

  it.each([
    ['{"text":"no id"}', PermanentError, 'job 7 needs an "id" of letters, digits, "-", "_" or "."'],
    [
      '{"id":"../escape","text":"x"}',
      PermanentError,
      'job 7 needs an "id" of letters, digits, "-", "_" or "."',
    ],
    ['{"id":"job-2"}', PermanentError, 'job job-2 needs a string "text"'],
    ['[1,2]', PermanentError, 'job 7 needs an "id" of letters, digits, "-", "_" or "."'],
    ['null', PermanentError, 'job 7 is not an object'],
    ['not json', MessageDecodeError, 'message 7 on jobs.simple is not JSON (8 bytes)'],
  ])('rejects %s as never retryable', (body, type, text) => {
    expect(() => parseJob(message(body))).toThrow(type);
    expect(() => parseJob(message(body))).toThrow(text);
  });

  it('is ready when the results directory is writable', async () => {
    await expect(readinessChecks.results()).resolves.toBeUndefined();
  });
});
