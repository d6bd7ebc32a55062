// Benchmark: `eds validate` against ajv-cli, in one process and in the seed's one-process-per-file loop.
//
//   node bench/validate.mjs [--files N] [--runs R] [--loop-files S] [--loop-runs L] [--seed X] [--keep]
//
// Build first:
//   npx tsc -b packages/core/tsconfig.build.json && npx tsc -p packages/cli/tsconfig.build.json
//
// Generates N claim files (default 2000; deterministic from --seed, ~10% invalid) in a temp dir,
// then, after one warm-up each, times R runs (default 5) of:
//   1. eds       node packages/cli/bin/eds.js validate DIR                       (one process)
//   2. ajv-cli   node node_modules/ajv-cli/dist/index.js validate -s SCHEMA -d "DIR/*.yaml"
//                                                                               (one process)
//   3. loop      the seed workflow (shared/seeds/002, §3.3), one ajv process per file:
//                  for CLAIM in …; do yq eval -o json "$CLAIM" | ajv validate -s SCHEMA -d - --strict=false; done
//                emulated as `ajv validate -s SCHEMA -d FILE --strict=false` per file (yq is not run, so its
//                cost is excluded, which favours the loop), over the first S files (default 200) and
//                extrapolated linearly to N.
// It checks that (1) and (2) flag the same files, prints median wall times, files/s and the ratios
// eds ÷ ajv-cli (target ≤ 1.5×) and loop ÷ eds (target ≥ 20×). Not a test; `npm test` never runs it.
// --keep leaves the generated claims in place (for `node --cpu-prof packages/cli/bin/eds.js validate DIR`).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA = join(ROOT, 'schemas', 'eventdrivenservice.schema.json');
const EDS = join(ROOT, 'packages', 'cli', 'bin', 'eds.js');
const AJV = join(ROOT, 'node_modules', 'ajv-cli', 'dist', 'index.js');

const { values: opts } = parseArgs({
  options: {
    files: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '5' },
    'loop-files': { type: 'string', default: '200' },
    'loop-runs': { type: 'string' },
    seed: { type: 'string', default: '20240601' },
    keep: { type: 'boolean', default: false },
  },
});
const positive = (name, text) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
};
const N = positive('files', opts.files);
const RUNS = positive('runs', opts.runs);
const LOOP_FILES = Math.min(N, positive('loop-files', opts['loop-files']));
const LOOP_RUNS = positive('loop-runs', opts['loop-runs'] ?? opts.runs);
const SEED = positive('seed', opts.seed);

// ---------------------------------------------------------------------------------------------
// Deterministic claim generator

/** mulberry32: small, fast, good enough for test data. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAINS = ['order', 'payment', 'invoice', 'agent', 'email', 'report', 'ledger', 'search'];
const DOMAINS2 = ['inventory', 'shipment', 'notification', 'audit', 'billing', 'fraud', 'media'];
const ROLES = ['processor', 'executor', 'worker', 'consumer', 'indexer', 'dispatcher', 'sync'];
const NAMESPACES = ['commerce', 'payments', 'intelligence-deepagents', 'platform', 'data', 'ops'];
const REGISTRIES = ['ghcr.io/acme', 'registry.example.com:5000/team', 'docker.io/library', ''];
const SECRET_KINDS = ['config', 'api-keys', 'tokens', 'smtp', 'oauth', 'license', 'flags'];
const CONN = [
  ['db-conn', 'POSTGRES', ['endpoint', 'port', 'database', 'username', 'password']],
  ['cache-conn', 'DRAGONFLY', ['endpoint', 'port', 'password']],
  ['s3-conn', 'S3', ['bucket', 'region', 'access-key-id', 'secret_access_key']],
  ['search-conn', 'OPENSEARCH', ['endpoint', 'username', 'password']],
];
const TYPOS = ['secretRef', 'scalling', 'initContainers', 'imagePullSecret', 'Size', 'replicas'];

/**
 * Each invalid kind, and whether the published JSON Schema catches it (ajv-cli) or only eds's
 * cross-field rules do. Kinds are applied after the valid claim is built.
 */
const INVALID = [
  { kind: 'bad-name', schema: true },
  { kind: 'unknown-field', schema: true },
  { kind: 'missing-consumer', schema: true },
  { kind: 'bad-size', schema: true },
  { kind: 'bad-replicas', schema: true },
  { kind: 'bad-env-name', schema: true },
  { kind: 'empty-init', schema: true },
  { kind: 'min-above-max', schema: false },
];

function generate(index, random) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

  const domain = chance(0.5) ? pick(DOMAINS) : pick(DOMAINS2);
  const name = `${domain}-${pick(ROLES)}-${index.toString(36)}`;
  const lines = [];
  const push = (indent, text) => lines.push(`${'  '.repeat(indent)}${text}`);
  if (chance(0.4))
    push(0, '# yaml-language-server: $schema=../schemas/eventdrivenservice.schema.json');
  if (chance(0.3)) push(0, `# ${domain} ${pick(ROLES)} for team ${pick(NAMESPACES)}.`);

  const invalid = chance(0.1) ? pick(INVALID) : undefined;
  const is = (kind) => invalid?.kind === kind;

  push(0, 'apiVersion: platform.bizmatters.io/v1alpha1');
  push(0, 'kind: EventDrivenService');
  push(0, 'metadata:');
  push(1, `name: ${is('bad-name') ? pick([`${name}_v2`, name.toUpperCase(), `${name}-`]) : name}`);
  if (chance(0.85)) push(1, `namespace: ${pick(NAMESPACES)}`);
  if (chance(0.2)) {
    push(1, 'labels:');
    push(2, `team: ${pick(NAMESPACES)}`);
    push(2, `app.kubernetes.io/part-of: ${domain}`);
  }
  push(0, 'spec:');

  const registry = pick(REGISTRIES);
  const repo = registry === '' ? name : `${registry}/${name}`;
  const image = chance(0.15)
    ? `${repo}@sha256:${Array.from({ length: 64 }, () => '0123456789abcdef'[int(0, 15)]).join('')}`
    : `${repo}:${chance(0.1) ? 'latest' : `${int(0, 4)}.${int(0, 20)}.${int(0, 9)}`}`;
  push(1, `image: ${image}`);
  if (is('bad-size')) push(1, `size: ${pick(['xlarge', 'Medium', 'tiny'])}`);
  else if (chance(0.7)) push(1, `size: ${pick(['small', 'medium', 'large'])}`);

  lines.push('');
  push(1, 'nats:');
  if (chance(0.3)) push(2, `url: nats://nats.${pick(NAMESPACES)}.svc:4222`);
  push(2, `stream: ${domain.toUpperCase()}_${pick(['EVENTS', 'EXECUTION', 'JOBS', 'COMMANDS'])}`);
  if (!is('missing-consumer')) push(2, `consumer: ${name}-workers`);
  if (chance(0.2)) push(2, 'account: $G');
  if (chance(0.2)) push(2, 'monitoringEndpoint: nats-headless.nats.svc.cluster.local:8222');

  const slots = int(0, 5);
  if (slots > 0) lines.push('');
  const kinds = [...SECRET_KINDS].sort(() => random() - 0.5);
  for (let s = 1; s <= slots; s++) push(1, `secret${s}Name: ${name}-${kinds[s - 1]}`);

  if (chance(0.45)) {
    lines.push('');
    push(1, 'secretRefs:');
    const conns = [...CONN].sort(() => random() - 0.5).slice(0, int(1, 3));
    let badEnv = is('bad-env-name');
    for (const [suffix, prefix, keys] of conns) {
      push(2, `- name: ${name}-${suffix}`);
      push(3, 'env:');
      for (const key of keys.slice(0, int(1, keys.length))) {
        let envName = `${prefix}_${key.toUpperCase().replaceAll('-', '_')}`;
        if (badEnv) {
          envName = pick([`1${envName}`, envName.replaceAll('_', '-'), `${envName}.X`]);
          badEnv = false;
        }
        push(4, `- secretKey: ${key}`);
        push(5, `envName: ${envName}`);
      }
    }
    if (chance(0.4)) {
      push(2, `- name: ${name}-synced-keys`);
      push(3, 'envFrom: true');
    }
  } else if (is('bad-env-name')) {
    push(
      1,
      `secretRefs: [{ name: ${name}-db-conn, env: [{ secretKey: host, envName: DB-HOST }] }]`,
    );
  }

  if (chance(0.25)) {
    push(1, 'imagePullSecrets:');
    push(2, `- name: ${registry.startsWith('ghcr') ? 'ghcr' : 'registry'}-pull-secret`);
  }

  if (is('empty-init')) {
    push(1, 'initContainer: {}');
  } else if (chance(0.3)) {
    push(1, 'initContainer:');
    if (chance(0.5)) push(2, "command: ['/bin/bash', '-c']");
    else push(2, `command: ['/app/bin/migrate']`);
    if (chance(0.8)) push(2, `args: ['cd /app && ./scripts/run-migrations.sh --to ${int(1, 99)}']`);
  }

  if (is('bad-replicas') || is('min-above-max') || chance(0.5)) {
    lines.push('');
    push(1, 'scaling:');
    const min = int(0, 3);
    const max = min + int(1, 40);
    if (is('bad-replicas')) {
      push(2, pick([`minReplicas: -1`, `maxReplicas: '${max}'`, `maxReplicas: 5000`]));
    } else if (is('min-above-max')) {
      push(2, `minReplicas: ${max + 1}`);
      push(2, `maxReplicas: ${max}`);
    } else {
      const withMin = chance(0.7);
      if (withMin) push(2, `minReplicas: ${min}`);
      if (!withMin || chance(0.8)) push(2, `maxReplicas: ${max}`);
      if (chance(0.5)) push(2, `lagThreshold: ${pick([1, 5, 10, 50, 100, 1000])}`);
    }
  }
  if (chance(0.3)) push(1, `terminationGracePeriodSeconds: ${pick([10, 30, 60, 120, 600])}`);
  if (is('unknown-field')) push(1, `${pick(TYPOS)}: true`);

  return { text: `${lines.join('\n')}\n`, invalid };
}

function writeClaims(dir) {
  const random = rng(SEED);
  const width = String(N).length;
  const files = [];
  for (let i = 0; i < N; i++) {
    const { text, invalid } = generate(i, random);
    const path = join(dir, `claim-${String(i).padStart(width, '0')}.yaml`);
    writeFileSync(path, text);
    files.push({ path, invalid });
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Timing

/** Runs one process; stdout and stderr are buffered (both tools write comparable amounts). */
function run(args) {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      done({
        ms,
        code: code ?? signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function timeRuns(label, runs, once) {
  process.stderr.write(`${label}: warm-up`);
  const first = await once(true);
  process.stderr.write(` ${(first.ms / 1000).toFixed(2)}s; runs:`);
  const times = [];
  for (let r = 0; r < runs; r++) {
    const result = await once(false);
    times.push(result.ms);
    process.stderr.write(` ${(result.ms / 1000).toFixed(2)}s`);
  }
  process.stderr.write('\n');
  return { first, times, median: median(times) };
}

// ---------------------------------------------------------------------------------------------

const CLAIM_FILE = /claim-\d+\.yaml/g;

/** Files named in eds's text report (every problem line starts with FILE:LINE:COL). */
function edsInvalid(stdout) {
  const out = new Set();
  for (const line of stdout.split('\n')) {
    const m = /^(\S*claim-\d+\.yaml)(?::\d+:\d+)?\s/.exec(line);
    if (m) out.add(m[1].match(CLAIM_FILE)[0]);
  }
  return out;
}

/** Files ajv-cli reported as "FILE invalid" (on stderr). */
function ajvInvalid(stderr) {
  const out = new Set();
  for (const line of stderr.split('\n')) {
    const m = /^(\S*claim-\d+\.yaml) invalid$/.exec(line);
    if (m) out.add(m[1].match(CLAIM_FILE)[0]);
  }
  return out;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'eds-bench-'));
  const cleanup = () => {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const files = writeClaims(dir);
    const byName = new Map(files.map((f) => [f.path.match(CLAIM_FILE)[0], f]));
    const invalid = files.filter((f) => f.invalid);
    const counts = {};
    for (const f of invalid) counts[f.invalid.kind] = (counts[f.invalid.kind] ?? 0) + 1;
    console.log(
      `Generated ${N} claims in ${dir} (seed ${SEED}): ${invalid.length} invalid ` +
        `(${Object.entries(counts)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')})`,
    );

    const eds = await timeRuns('eds', RUNS, () => run([EDS, 'validate', dir]));
    const ajv = await timeRuns('ajv-cli', RUNS, () =>
      run([AJV, 'validate', '-s', SCHEMA, '-d', join(dir, '*.yaml')]),
    );
    const subset = files.slice(0, LOOP_FILES);
    const loopOnce = async (warm) => {
      let ms = 0;
      let failed = 0;
      for (const f of warm ? subset.slice(0, 10) : subset) {
        const r = await run([AJV, 'validate', '-s', SCHEMA, '-d', f.path, '--strict=false']);
        ms += r.ms;
        if (r.code !== 0) failed++;
      }
      return { ms, failed };
    };
    const loop = await timeRuns(`loop (${LOOP_FILES} processes)`, LOOP_RUNS, loopOnce);

    // --- Sanity: do eds and ajv-cli flag the same files?
    console.log('');
    const problems = [];
    if (eds.first.code !== (invalid.length > 0 ? 1 : 0))
      problems.push(`eds exit code ${eds.first.code}; stderr: ${eds.first.stderr.trim()}`);
    if (ajv.first.code !== (invalid.some((f) => f.invalid.schema) ? 1 : 0))
      problems.push(
        `ajv-cli exit code ${ajv.first.code}; stderr: ${ajv.first.stderr.slice(0, 500)}`,
      );
    const edsSet = edsInvalid(eds.first.stdout);
    const ajvSet = ajvInvalid(ajv.first.stderr);
    const ajvValid = (ajv.first.stdout.match(/ valid$/gm) ?? []).length;
    if (ajvSet.size + ajvValid !== N)
      problems.push(`ajv-cli judged ${ajvSet.size + ajvValid} of ${N} files`);
    const expected = [];
    for (const name of new Set([...edsSet, ...ajvSet])) {
      if (edsSet.has(name) === ajvSet.has(name)) continue;
      const gen = byName.get(name)?.invalid;
      const line = `${name}: eds ${edsSet.has(name) ? 'invalid' : 'valid'}, ajv-cli ${
        ajvSet.has(name) ? 'invalid' : 'valid'
      } (generated as ${gen ? gen.kind : 'valid'})`;
      // eds's cross-field rules are not in the JSON Schema: ajv-cli cannot see those.
      if (gen && !gen.schema && edsSet.has(name)) expected.push(line);
      else problems.push(line);
    }
    for (const f of files) {
      const name = f.path.match(CLAIM_FILE)[0];
      if (Boolean(f.invalid) !== edsSet.has(name))
        problems.push(`${name}: generated ${f.invalid?.kind ?? 'valid'}, eds disagrees`);
    }
    console.log(
      `Agreement: eds flagged ${edsSet.size} files, ajv-cli ${ajvSet.size}; ` +
        `${expected.length} expected differences (eds-only cross-field rule min-above-max)` +
        `, ${problems.length} unexpected.`,
    );
    for (const p of problems.slice(0, 20)) console.log(`  UNEXPECTED ${p}`);
    if (problems.length > 20) console.log(`  … and ${problems.length - 20} more`);
    if (loop.first.failed === 0 && subset.slice(0, 10).some((f) => f.invalid?.schema))
      console.log('  UNEXPECTED loop: no ajv process failed on the invalid files in its subset');
    if (problems.length > 0) process.exitCode = 1;

    // --- Report
    const loopExtrapolated = (loop.median * N) / LOOP_FILES;
    const rows = [
      ['eds validate DIR (1 process)', eds.median, N],
      ['ajv-cli validate -d "DIR/*.yaml" (1 process)', ajv.median, N],
      [`per-file ajv loop, ${LOOP_FILES} files (measured)`, loop.median, LOOP_FILES],
      [`per-file ajv loop, extrapolated ×${N / LOOP_FILES} to ${N}`, loopExtrapolated, N],
    ];
    const cpu = cpus();
    console.log('');
    console.log(
      `node ${process.version}, ${process.platform}/${process.arch}, ` +
        `${cpu.length} CPUs (availableParallelism ${availableParallelism()}): ${cpu[0]?.model ?? '?'}`,
    );
    console.log(
      `${N} files, ${RUNS} runs after 1 warm-up (loop: ${LOOP_RUNS} runs); median wall time`,
    );
    console.log('');
    const w = Math.max(...rows.map((r) => r[0].length));
    console.log(`${'what'.padEnd(w)}  ${'median'.padStart(10)}  ${'files/s'.padStart(9)}`);
    for (const [what, ms, n] of rows) {
      const s = ms / 1000;
      console.log(
        `${what.padEnd(w)}  ${`${s.toFixed(3)} s`.padStart(10)}  ${(n / s).toFixed(0).padStart(9)}`,
      );
    }
    console.log('');
    const r1 = eds.median / ajv.median;
    const r2 = loopExtrapolated / eds.median;
    console.log(
      `eds ÷ ajv-cli (single process):  ${r1.toFixed(2)}×  (target ≤ 1.5×) ${r1 <= 1.5 ? 'MET' : 'MISSED'}`,
    );
    console.log(
      `per-file loop ÷ eds:             ${r2.toFixed(1)}×  (target ≥ 20×) ${r2 >= 20 ? 'MET' : 'MISSED'}`,
    );
    console.log('');
    console.log(
      `Loop extrapolated linearly from ${LOOP_FILES} to ${N} files; yq's own cost (one more process ` +
        'per file in the seed workflow) is excluded, which favours the loop.',
    );
    console.log(
      `Runs (s): eds ${eds.times.map((t) => (t / 1000).toFixed(2)).join(' ')}; ajv-cli ${ajv.times
        .map((t) => (t / 1000).toFixed(2))
        .join(' ')}; loop ${loop.times.map((t) => (t / 1000).toFixed(1)).join(' ')}`,
    );
    if (opts.keep) console.log(`Kept ${dir}`);
  } finally {
    cleanup();
  }
}

await main();
