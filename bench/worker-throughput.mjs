// Benchmark: messages/s through eds-worker (`runWorker`, no-op handler) against a bare nats.js
// consume-and-ack loop, on the same nats-server in the same run.
//
//   node bench/worker-throughput.mjs [--messages N] [--runs R] [--size BYTES] [--concurrency C,C…]
//
// Build first:  npx tsc -b packages/worker/tsconfig.build.json
// Needs nats-server on PATH (or NATS_SERVER_BIN); it is started here on free loopback ports.
//
// Publishes N messages (default 50,000 of 128 bytes) once to a limits-retention stream. Each run
// creates a fresh durable consumer (explicit acks, same config for all) and times from the first
// message received to the N-th acked:
//   bare      consumer.consume() with nats.js's defaults (pull batch 100) in a for-await loop
//             calling msg.ack(): the baseline
//   worker C  runWorker(async () => {}, {concurrency: C}) in this process, metrics and all; it
//             sizes its own pulls (see docs/worker.md, "Throughput, buffering and acks")
// C defaults to 5 (the worker's default) and 100. After a warm-up of each, R runs (default 7) are
// interleaved, the order rotating; it prints the medians and each ratio worker ÷ bare
// (target ≥ 0.85). Not a test: `npm test` never runs it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { runWorker } from '@eds/worker';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '7' },
    size: { type: 'string', default: '128' },
    concurrency: { type: 'string', default: '5,100' },
  },
});
const N = Number(args.messages);
const RUNS = Number(args.runs);
const SIZE = Number(args.size);
const CONCURRENCIES = args.concurrency.split(',').map(Number);
/** nats.js's default pull batch, for the bare loop. */
const BARE_BATCH = 100;
const STREAM = 'BENCH';

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'eds-bench-nats-'));
  const port = await freePort();
  const monitor = await freePort();
  const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-m', String(monitor), '-sd', dir];
  const proc = spawn(process.env.NATS_SERVER_BIN ?? 'nats-server', args, { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${monitor}/healthz`)).ok) break;
    } catch {
      // not up yet
    }
    await sleep(50);
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: () => {
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function publishAll(nc) {
  const js = jetstream(nc);
  const payload = new Uint8Array(SIZE).fill(120);
  const window = 1_000;
  for (let i = 0; i < N; i += window) {
    const batch = [];
    for (let j = i; j < Math.min(N, i + window); j++) batch.push(js.publish('bench.jobs', payload));
    await Promise.all(batch);
  }
}

const consumerConfig = (name) => ({
  durable_name: name,
  ack_policy: 'explicit',
  deliver_policy: 'all',
  ack_wait: 30_000_000_000,
  max_deliver: 5,
});

/** Bare nats.js: consume and ack. Returns msgs/s from the first message to the N-th ack. */
async function bare(nc, jsm, name) {
  await jsm.consumers.add(STREAM, consumerConfig(name));
  const consumer = await jetstream(nc).consumers.get(STREAM, name);
  const messages = await consumer.consume({ max_messages: BARE_BATCH });
  let count = 0;
  let first = 0;
  let last = 0;
  for await (const m of messages) {
    if (count === 0) first = performance.now();
    m.ack();
    if (++count === N) {
      last = performance.now();
      break;
    }
  }
  await nc.flush();
  const seconds = (last - first) / 1_000;
  await jsm.consumers.delete(STREAM, name);
  return N / seconds;
}

/**
 * eds-worker in this process with a no-op handler: msgs/s from the first handler call to the
 * N-th (its ack follows in the same tick). The stop that follows flushes every ack; the consumer
 * is then checked to have nothing pending.
 */
async function worker(url, jsm, name, concurrency) {
  let count = 0;
  let first = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const w = await runWorker(
    async () => {
      if (count === 0) first = performance.now();
      if (++count === N) done(performance.now());
    },
    {
      env: {},
      settings: {
        natsUrl: url,
        stream: STREAM,
        consumer: name,
        port: 0,
        concurrency,
        logLevel: 'warn',
      },
      host: '127.0.0.1',
      handleSignals: false,
    },
  );
  const last = await finished;
  const seconds = (last - first) / 1_000;
  await w.stop('bench run done');
  const info = await jsm.consumers.info(STREAM, name);
  if (info.num_ack_pending !== 0 || info.num_pending !== 0) {
    throw new Error(`worker left ${info.num_ack_pending} unacked, ${info.num_pending} pending`);
  }
  await jsm.consumers.delete(STREAM, name);
  return N / seconds;
}

const server = await startServer();
try {
  const nc = await connect({ servers: server.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name: STREAM,
    subjects: ['bench.>'],
    retention: 'limits',
    storage: 'file',
  });
  const t0 = performance.now();
  await publishAll(nc);
  console.log(
    `published ${N.toLocaleString('en')} × ${SIZE} B in ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
      `(node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'})`,
  );

  const kinds = ['bare', ...CONCURRENCIES.map((c) => `worker ${c}`)];
  const measure = (kind, name) =>
    kind === 'bare'
      ? bare(nc, jsm, name)
      : worker(server.url, jsm, name, Number(kind.slice('worker '.length)));
  for (const kind of kinds) await measure(kind, `warm-${kind.replace(' ', '-')}`);
  const results = Object.fromEntries(kinds.map((k) => [k, []]));
  const fmt = (rate) => `${Math.round(rate).toLocaleString('en')} msg/s`;
  for (let i = 0; i < RUNS; i++) {
    // Rotate the order so drift (page cache, CPU boost) hits every side alike.
    const order = kinds.map((_, k) => kinds[(k + i) % kinds.length]);
    for (const kind of order) {
      results[kind].push(await measure(kind, `${kind.replace(' ', '-')}-${i}`));
    }
    console.log(
      `run ${i + 1}/${RUNS}: ` + kinds.map((k) => `${k} ${fmt(results[k][i])}`).join(', '),
    );
  }
  const mb = median(results.bare);
  console.log(`median of ${RUNS}: bare nats.js (batch ${BARE_BATCH}) ${fmt(mb)}`);
  for (const c of CONCURRENCIES) {
    const mw = median(results[`worker ${c}`]);
    console.log(
      `  eds-worker concurrency ${c}: ${fmt(mw)}, ratio ${(mw / mb).toFixed(2)} (target ≥ 0.85)`,
    );
  }
  await nc.close();
} finally {
  server.stop();
}
