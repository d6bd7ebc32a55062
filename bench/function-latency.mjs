// Benchmark: RunFunction over gRPC on loopback, eds function vs an empty function on the same
// SDK, in the same run. Not a test. Build first (npx tsc -b), then:
//   node bench/function-latency.mjs [--requests 20000] [--concurrency 16] [--runs 5]
// Prints median and p99 latency (sequential calls), requests/s (concurrent calls), and each
// server's peak RSS (VmHWM from /proc) after all requests.
// The client sends a request encoded once and does not decode the answers (after checking the
// first), so that what is timed is the server: Crossplane's own client is Go, and decoding a
// 6 KB answer in JavaScript would add the same client cost to both sides of the ratio.
import {
  FunctionRunnerServiceService,
  RunFunctionRequest,
  RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import { FUNCTION_NODE_FLAGS } from '@eds/core';
import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '16' },
    runs: { type: 'string', default: '5' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const RUNS = Number(values.runs);
const root = new URL('../', import.meta.url);

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function start(label, args, portArgs, composes) {
  const port = await freePort();
  const child = spawn(process.execPath, [...args, ...portArgs(port)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('function listening')) resolve();
    });
  });
  child.stdout.resume();
  return { label, port, child, composes };
}

const peakRssMiB = (pid) =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

// The full claim, as a v2 XR, with every composed resource observed healthy and a pod.
const claim = parse(readFileSync(new URL('examples/full-claim.yaml', root), 'utf8'));
const res = (resource) => ({ resource, connectionDetails: {}, ready: 0 });
const n = claim.metadata.name;
const request = {
  meta: { tag: 't', capabilities: [] },
  observed: {
    composite: res({
      apiVersion: 'platform.bizmatters.io/v1alpha1',
      kind: 'EventDrivenService',
      metadata: claim.metadata,
      spec: { ...claim.spec, crossplane: {} },
    }),
    resources: {
      serviceaccount: res({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: n } }),
      deployment: res({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: n, generation: 2 },
        spec: { replicas: 3 },
        status: {
          observedGeneration: 2,
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 3,
          availableReplicas: 3,
        },
      }),
      service: res({ apiVersion: 'v1', kind: 'Service', metadata: { name: n } }),
      scaledobject: res({
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: `${n}-scaler` },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      }),
    },
  },
  desired: { composite: undefined, resources: {} },
  input: { apiVersion: 'eds.platform.bizmatters.io/v1alpha1', kind: 'Input', target: 'v2' },
  context: {},
  extraResources: {},
  credentials: {},
  requiredResources: {
    pods: {
      items: [
        res({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${n}-a` },
          status: { phase: 'Running' },
        }),
      ],
    },
  },
  requiredSchemas: {},
};

const requestBytes = Buffer.from(
  RunFunctionRequest.encode(RunFunctionRequest.fromPartial(request)).finish(),
);
const identity = (b) => b;
const Client = grpc.makeGenericClientConstructor(
  {
    runFunction: {
      ...FunctionRunnerServiceService.runFunction,
      requestSerialize: identity,
      responseDeserialize: identity,
    },
  },
  'FunctionRunnerService',
);
const callOnce = (client) =>
  new Promise((resolve, reject) =>
    client.runFunction(requestBytes, (e, r) => (e ? reject(e) : resolve(r))),
  );

async function measure(server) {
  const client = new Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  const first = RunFunctionResponse.decode(await callOnce(client));
  const composed = Object.keys(first.desired?.resources ?? {}).length;
  if (first.results.some((r) => r.severity === 1) || composed !== server.composes) {
    throw new Error(`${server.label}: unexpected answer ${JSON.stringify(first.results)}`);
  }
  for (let i = 0; i < 2000; i++) await callOnce(client); // warm-up: the first runs were slower on every server
  const seq = Math.min(REQUESTS, 5000);
  const lat = [];
  for (let i = 0; i < seq; i++) {
    const t = process.hrtime.bigint();
    await callOnce(client);
    lat.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  lat.sort((a, b) => a - b);
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) await callOnce(client);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  client.close();
  return {
    p50: lat[Math.floor(lat.length / 2)],
    p99: lat[Math.floor(lat.length * 0.99)],
    rps: REQUESTS / seconds,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const edsArgs = ['packages/cli/bin/eds.js', 'function', 'serve', '--insecure'];
const address = (port) => ['--address', `127.0.0.1:${port}`];
const servers = [
  await start('eds (image flags)', [...FUNCTION_NODE_FLAGS, ...edsArgs], address, 4),
  await start('eds, default heap', edsArgs, address, 4),
  await start(
    'empty function (same SDK)',
    [...FUNCTION_NODE_FLAGS, 'bench/empty-function.mjs'],
    (p) => [String(p)],
    0,
  ),
];
// The client's own warm-up, against a server that is not reported, so that no server is
// charged for the client's JIT warm-up.
const clientWarmUp = await start('warm-up', ['bench/empty-function.mjs'], (p) => [String(p)], 0);
await measure(clientWarmUp);
clientWarmUp.child.kill('SIGTERM');
const results = new Map(servers.map((s) => [s, []]));
for (let run = 0; run < RUNS; run++) {
  for (const s of servers) results.get(s).push(await measure(s)); // interleaved
}
console.log(
  `node ${process.version}, ${cpus().length} CPUs; ${RUNS} runs of ${REQUESTS} requests (${CONCURRENCY} in flight for rps; sequential for latency), full claim with observed state`,
);
console.log('server                      p50 ms   p99 ms     req/s   peak RSS MiB');
const row = {};
for (const s of servers) {
  const r = results.get(s);
  const label = s.label;
  row[label] = {
    p50: median(r.map((x) => x.p50)),
    p99: median(r.map((x) => x.p99)),
    rps: median(r.map((x) => x.rps)),
    rss: peakRssMiB(s.child.pid),
  };
  const x = row[label];
  console.log(
    `${label.padEnd(26)} ${x.p50.toFixed(3).padStart(7)} ${x.p99.toFixed(3).padStart(8)} ${x.rps.toFixed(0).padStart(9)} ${x.rss.toFixed(1).padStart(12)}`,
  );
}
const eds = row['eds (image flags)'];
const empty = row['empty function (same SDK)'];
console.log(
  `latency ratio eds/empty: p50 ${(eds.p50 / empty.p50).toFixed(2)}x, p99 ${(eds.p99 / empty.p99).toFixed(2)}x (target <= 1.3x)`,
);
console.log(
  `throughput ratio eds/empty: ${(eds.rps / empty.rps).toFixed(2)}x; eds peak RSS ${eds.rss.toFixed(1)} MiB (target < 100 MiB)`,
);
for (const s of servers) s.child.kill('SIGTERM');
