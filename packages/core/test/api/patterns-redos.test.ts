/**
 * Every regular expression the API publishes (JSON Schema, XRDs, CRDs) and every string rule,
 * against inputs built to make a backtracking engine (V8's, ajv's, an editor's) go exponential
 * or quadratic: long runs of the fragments each pattern is made of, then a character that fails
 * the match. Each pattern runs in a worker thread so that a catastrophic one fails this test,
 * naming the input, instead of hanging it.
 */
import { Worker } from 'node:worker_threads';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../src/definition.js';
import { STRING_RULES } from '../../src/api/rules.js';

/** Input length: far beyond every maxLength, so length checks cannot hide a slow pattern. */
const LENGTH = 10_000;
/** The slowest a single match may take on LENGTH characters (best of three runs). */
const BOUND_MS = 5;
/** A worker that has not finished by then is stuck in one match. */
const WORKER_TIMEOUT_MS = 10_000;

function collectPatterns(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collectPatterns(v, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'pattern' && typeof v === 'string') out.add(v);
      else collectPatterns(v, out);
    }
  }
}

function publishedPatterns(): string[] {
  const out = new Set<string>(STRING_RULES.map((r) => r.pattern));
  for (const [path, content] of generatedFiles()) {
    if (path.endsWith('.json')) collectPatterns(JSON.parse(content), out);
    if (path.endsWith('.yaml')) {
      for (const doc of parseAllDocuments(content)) collectPatterns(doc.toJS(), out);
    }
  }
  return [...out];
}

/** The pieces patterns of names, hosts, URLs and image references are made of. */
const FRAGMENTS = [
  'a',
  'A',
  '0',
  '-',
  '.',
  '_',
  '__',
  ':',
  '/',
  ',',
  '@',
  'a-',
  'a.',
  'a_',
  'a:',
  'a/',
  '-a',
  '.a',
  ':0',
  '0:',
  'a:1',
  'a:1,',
  'a,',
  'a:1/,',
  'a.b:',
  'nats://a',
  'nats://a:1,',
  'nats://a,',
  'nats://a:12345/,',
  'a--',
  'a..',
  'a/b:',
  'a@',
  ':a',
  'a:a',
  '\\',
  'a\\',
];
const PREFIXES = ['', 'a', 'a/', 'nats://', 'a.b:1/'];
const SUFFIXES = ['!', ' ', '\u0000', '', ',', ':', '-', '/', 'A'];

function adversarialInputs(): string[] {
  const out: string[] = [];
  for (const prefix of PREFIXES) {
    for (const fragment of FRAGMENTS) {
      const body = fragment.repeat(Math.ceil(LENGTH / fragment.length)).slice(0, LENGTH);
      for (const suffix of SUFFIXES) out.push(prefix + body + suffix);
    }
  }
  return out;
}

interface Verdict {
  readonly slowestMs: number;
  readonly slowest: string;
  /** The input being matched when the worker was stopped. */
  readonly stuckOn?: string;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const re = new RegExp(workerData.pattern, 'u');
let slowestMs = 0;
let slowest = '';
for (const [i, input] of workerData.inputs.entries()) {
  parentPort.postMessage({ at: i });
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    re.test(input);
    best = Math.min(best, performance.now() - t);
  }
  if (best > slowestMs) { slowestMs = best; slowest = input; }
}
parentPort.postMessage({ slowestMs, slowest });
`;

function judge(pattern: string, inputs: readonly string[]): Promise<Verdict> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { pattern, inputs } });
    let at = 0;
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ slowestMs: Infinity, slowest: '', stuckOn: inputs[at] ?? '' });
    }, WORKER_TIMEOUT_MS);
    worker.on('message', (m: { at?: number; slowestMs?: number; slowest?: string }) => {
      if (m.at !== undefined) {
        at = m.at;
        return;
      }
      clearTimeout(timer);
      void worker.terminate();
      resolve({ slowestMs: m.slowestMs ?? Infinity, slowest: m.slowest ?? '' });
    });
    worker.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** An input shown in a failure: its start, its end and its length. */
const excerpt = (s: string): string =>
  `${JSON.stringify(s.slice(0, 24))}…${JSON.stringify(s.slice(-8))} (${s.length} chars)`;

describe('the published patterns against adversarial input', () => {
  const patterns = publishedPatterns();
  const inputs = adversarialInputs();

  it('finds every string rule among the published patterns', () => {
    expect(patterns.length).toBeGreaterThanOrEqual(STRING_RULES.length);
  });

  it.each(patterns)(
    `matches ${LENGTH} characters in under ${BOUND_MS} ms: %s`,
    async (pattern) => {
      const verdict = await judge(pattern, inputs);
      const where =
        verdict.stuckOn === undefined
          ? `slowest ${verdict.slowestMs.toFixed(2)} ms on ${excerpt(verdict.slowest)}`
          : `no answer within ${WORKER_TIMEOUT_MS} ms on ${excerpt(verdict.stuckOn)}`;
      expect(verdict.slowestMs, where).toBeLessThan(BOUND_MS);
    },
    WORKER_TIMEOUT_MS + 5_000,
  );
});
