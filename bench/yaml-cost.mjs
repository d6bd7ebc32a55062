// Benchmark: what hostile YAML costs `eds validate` and `eds migrate`, at 1×, 10× and 100× the size.
//
//   node bench/yaml-cost.mjs [--runs R] [--timeout S] [--eds PATH/TO/bin/eds.js] [--only CASE]
//
// Build first:
//   npx tsc -b packages/core/tsconfig.build.json && npx tsc -p packages/cli/tsconfig.build.json
//
// Writes one claim file per case and size to a temp dir, each invalid (so that validate takes the
// positioned parse, as for every file with a problem), and times R runs (default 3) of
// `eds validate FILE` and `eds migrate FILE`, each in its own process:
//   keys    one mapping with 400 × k unknown keys (every key is a problem to locate)
//   flow    one flow list of 900 × k items
//   nest    flow lists k levels deep (100× passes the nesting limit: refused)
//   docs    10 × k claim documents in one file
//   over    inputs past the limits (100,000 list items ×10; /dev/zero): refused
// Prints the median wall time, the peak RSS (the child's own maxRSS) and the exit code, and for
// each case the growth of time above a one-line claim's (process start-up) from 1× to 10× and
// 100×: linear costs grow about 10× and 100×, quadratic ones 100× and 10,000×. --eds runs another build (say, of the previous commit) for a
// before/after comparison. Not a test; `npm test` never runs it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '120' },
    eds: { type: 'string', default: join(ROOT, 'packages', 'cli', 'bin', 'eds.js') },
    only: { type: 'string' },
  },
});
const RUNS = Number(opts.runs);
const TIMEOUT_MS = Number(opts.timeout) * 1000;
const EDS = resolve(opts.eds);

const HEAD = [
  'apiVersion: platform.bizmatters.io/v1alpha1',
  'kind: EventDrivenService',
  'metadata: {name: cost, namespace: bench}',
  'spec:',
  '  image: ghcr.io/acme/cost:1.0.0',
  '  nats: {stream: COST, consumer: cost}',
  '',
].join('\n');

const CASES = {
  keys: (k) => HEAD + Array.from({ length: 400 * k }, (_, i) => `  key${i}: ${i}\n`).join(''),
  flow: (k) => `${HEAD}  extra: [${Array.from({ length: 900 * k }, (_, i) => i).join(', ')}]\n`,
  nest: (k) => `${HEAD}  extra: ${'['.repeat(k)}1${']'.repeat(k)}\n`,
  docs: (k) => `${HEAD}  extra: 1\n---\n`.repeat(10 * k),
};
const OVER = {
  'flow ×10 limit': () => `${HEAD}  extra: [${'1, '.repeat(1_000_000)}1]\n`,
};

/** Records the child's own peak RSS: a preloaded hook writes it to fd 3 on exit. */
const HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { try { writeSync(3, String(process.resourceUsage().maxRSS)); } catch {} });",
)}`;

function run(args) {
  return new Promise((done) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', HOOK, EDS, ...args], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let rss = '';
    let stderr = '';
    child.stdio[3].on('data', (d) => (rss += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-400)));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      done({ seconds, rssMiB: Number(rss) / 1024, code: signal ?? code, stderr });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(args) {
  const results = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await run(args);
    results.push(r);
    if (r.code === 'SIGKILL') break; // one timeout is enough
  }
  return {
    seconds: median(results.map((r) => r.seconds)),
    rssMiB: median(results.map((r) => r.rssMiB)),
    code: results.at(-1).code,
    stderr: results.at(-1).stderr,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'eds-yaml-cost-'));
const fmt = (r) =>
  `${(r.code === 'SIGKILL' ? `>${opts.timeout} s` : `${r.seconds.toFixed(2)} s`).padStart(9)} ${`${Number.isFinite(r.rssMiB) ? r.rssMiB.toFixed(0) : '?'} MiB`.padStart(9)}  exit ${r.code}`;
try {
  console.log(
    `${EDS}\nnode ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), median of ${RUNS}\n`,
  );
  const base = join(dir, 'minimal.yaml');
  writeFileSync(base, `${HEAD}  extra: 1\n`);
  const startup = { validate: (await measure(['validate', base])).seconds };
  startup.migrate = (await measure(['migrate', base])).seconds;
  console.log(
    `startup (one-line claim): validate ${startup.validate.toFixed(2)} s, migrate ${startup.migrate.toFixed(2)} s; growth is of the time above it\n`,
  );
  console.log(`${'case'.padEnd(18)} ${'bytes'.padStart(10)}  ${'validate'.padEnd(30)}  migrate`);
  for (const [name, make] of Object.entries(CASES)) {
    if (opts.only !== undefined && opts.only !== name) continue;
    const times = { validate: [], migrate: [] };
    for (const k of [1, 10, 100]) {
      const file = join(dir, `${name}-${k}.yaml`);
      const text = make(k);
      writeFileSync(file, text);
      const v = await measure(['validate', file]);
      const m = await measure(['migrate', file]);
      times.validate.push(v.seconds);
      times.migrate.push(m.seconds);
      console.log(
        `${`${name} ×${k}`.padEnd(18)} ${String(text.length).padStart(10)}  ${fmt(v).padEnd(30)}  ${fmt(m)}`,
      );
    }
    const growth = (t) => `×${(t[1] / t[0]).toFixed(1)} / ×${(t[2] / t[0]).toFixed(1)}`;
    console.log(
      `${`  growth 10×/100×`.padEnd(29)}  ${growth(times.validate).padEnd(30)}  ${growth(times.migrate)}`,
    );
  }
  if (opts.only === undefined || opts.only === 'over') {
    for (const [name, make] of Object.entries(OVER)) {
      const file = join(dir, 'over.yaml');
      const text = make();
      writeFileSync(file, text);
      const v = await measure(['validate', file]);
      const m = await measure(['migrate', file]);
      console.log(
        `${name.padEnd(18)} ${String(text.length).padStart(10)}  ${fmt(v).padEnd(30)}  ${fmt(m)}`,
      );
    }
    const z = await measure(['validate', '/dev/zero']);
    console.log(`${'/dev/zero'.padEnd(18)} ${'∞'.padStart(10)}  ${fmt(z)}`);
    console.log(`\nlast message: ${z.stderr.trim().split('\n').at(-1) ?? ''}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
