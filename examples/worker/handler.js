// simple-worker: counts the words of each job on SIMPLE_JOBS and stores the result.
//
// Jobs are JSON: {"id": "job-1", "text": "some words"}. The result goes to
// $RESULTS_DIR/<id>.json (default /tmp/results: the pod's root filesystem is read-only and
// /tmp is the writable emptyDir the platform mounts).
//
// Run it with the eds-worker runner, which reads NATS_URL, NATS_STREAM_NAME,
// NATS_CONSUMER_GROUP and the EDS_* settings from the environment:
//   eds-worker ./handler.js
import { constants } from 'node:fs';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { PermanentError } from '@eds/worker';

const resultsDir = () => process.env.RESULTS_DIR ?? '/tmp/results';
/** Simulated work per job, in ms ($WORK_DELAY_MS, default 0): load and autoscaling tests. */
const workDelayMs = () => {
  const ms = Number(process.env.WORK_DELAY_MS ?? 0);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
};

/** The work itself, kept pure so it is easy to test. */
export function countWords(text) {
  const words = text.split(/\s+/).filter((w) => w !== '');
  return { words: words.length, characters: text.length };
}

/** Checks a job payload; a job that can never succeed is a PermanentError (dead-lettered at once). */
export function parseJob(message) {
  const job = message.json(); // not JSON: MessageDecodeError, also dead-lettered at once
  if (typeof job !== 'object' || job === null) {
    throw new PermanentError(`job ${message.seq} is not an object`);
  }
  if (typeof job.id !== 'string' || !/^[\w.-]{1,100}$/.test(job.id)) {
    throw new PermanentError(
      `job ${message.seq} needs an "id" of letters, digits, "-", "_" or "."`,
    );
  }
  if (typeof job.text !== 'string') {
    throw new PermanentError(`job ${job.id} needs a string "text"`);
  }
  return { id: job.id, text: job.text };
}

/**
 * The handler. Returning acks the job; throwing retries it with backoff. It is idempotent: a
 * redelivered job (after a crash or a lost ack) rewrites the same file with the same content.
 */
export default async function handleJob(message, context) {
  const job = parseJob(message);
  const result = { id: job.id, seq: message.seq, ...countWords(job.text) };
  const delay = workDelayMs();
  if (delay > 0) await sleep(delay, undefined, { signal: context.signal });
  const dir = resultsDir();
  await mkdir(dir, { recursive: true });
  // Write then rename, so a reader never sees half a file.
  const file = join(dir, `${job.id}.json`);
  await writeFile(`${file}.tmp`, `${JSON.stringify(result)}\n`, { signal: context.signal });
  await rename(`${file}.tmp`, file);
  context.log.info({ event: 'job_done', jobId: job.id, words: result.words }, `job ${job.id} done`);
}

/** /ready also checks that results can be written. */
export const readinessChecks = {
  results: async () => {
    const dir = resultsDir();
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  },
};
