/**
 * `eds dev` against a real nats-server (the one it starts itself), with the real eds-worker:
 * it scales up under load and back down as `eds scale` predicts, every message handled once and
 * none lost across scale-in; a missing Secret, a failing init container and a failing liveness
 * probe are reported as the platform would report them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eds, ROOT } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'eds-dev-'));

interface Line {
  readonly type: string;
  readonly [key: string]: unknown;
}
const lines = (stdout: string): Line[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

function claimFile(name: string, extra = ''): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: platform.bizmatters.io/v1alpha1
kind: EventDrivenService
metadata:
  name: ${name}
  namespace: shop
spec:
  image: ghcr.io/example/${name}:1.0.0
  size: small
  nats:
    stream: ORDERS
    consumer: ${name}-workers
  scaling:
    minReplicas: 1
    maxReplicas: 4
    lagThreshold: 5
    pollingInterval: 1
    cooldownPeriod: 10
${extra}`,
  );
  return file;
}

/** A handler that takes `ms` per message and appends the message's `n` to `out`. */
function handlerFile(ms: number, out: string): string {
  const file = join(dir, `handler-${ms}.mjs`);
  writeFileSync(
    file,
    `import { appendFileSync } from 'node:fs';
export default async function handle(message) {
  await new Promise((resolve) => setTimeout(resolve, ${ms}));
  appendFileSync(${JSON.stringify(out)}, JSON.parse(new TextDecoder().decode(message.data)).n + '\\n');
}
`,
  );
  return file;
}

/**
 * 16 messages/s at 500 ms each, five at a time: 1.6 replicas' work, so the HPA settles on 2 with
 * the lag (8) well inside a step of its rules. A rate at a replica count's exact capacity (20)
 * leaves the real lag on the edge of the 10 % tolerance, where a few milliseconds of overhead
 * decide.
 */
const RATE = '16';

const common = ['--create-stream', 'orders.>', '--format', 'json'];

/** `eds dev CLAIM --duration D [extra…] -- node -e SCRIPT`, with its JSON lines parsed. */
async function devScript(
  claim: string,
  duration: string,
  script: string,
  extra: readonly string[] = [],
  timeoutMs = 60_000,
) {
  const args = ['dev', claim, '--duration', duration, ...extra, ...common];
  const run = await eds([...args, '--', process.execPath, '-e', script], '', dir, timeoutMs);
  return { code: run.code, events: lines(run.stdout) };
}

describe('eds dev', () => {
  it('scales as eds scale predicts, and handles every message once across scale-in', async () => {
    const claim = claimFile('orders');
    const out = join(dir, 'handled.txt');
    writeFileSync(out, '');
    const predicted = await eds([
      'scale',
      claim,
      '--rate',
      RATE,
      '--handler-ms',
      '500',
      '--duration',
      '62s',
      '--format',
      'json',
    ]);
    expect(predicted.code).toBe(0);
    const model = JSON.parse(predicted.stdout) as {
      events: { at: number; from: number; to: number }[];
      timeline: { t: number; desired: number }[];
    };
    const run = await eds(
      [
        'dev',
        claim,
        '--handler',
        handlerFile(500, out),
        '--publish',
        RATE,
        '--duration',
        '62s',
        ...common,
      ],
      '',
      dir,
      120_000,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const events = lines(run.stdout);
    const scale = events.filter((e) => e.type === 'scale') as unknown as {
      at: number;
      from: number;
      to: number;
    }[];
    // The same decisions, each within a second of the predicted one.
    expect(scale.map((e) => [e.from, e.to])).toEqual(model.events.map((e) => [e.from, e.to]));
    expect(model.events.map((e) => [e.from, e.to])).toEqual([
      [1, 4],
      [4, 2],
    ]);
    scale.forEach((e, i) => {
      expect(Math.abs(e.at - (model.events[i]?.at ?? -99))).toBeLessThanOrEqual(1);
    });
    // The replica count, second by second, as predicted for all but the seconds around a change.
    const ticks = events.filter((e) => e.type === 'tick') as unknown as {
      t: number;
      desired: number;
    }[];
    const agree = ticks.filter((k) => model.timeline[k.t]?.desired === k.desired).length;
    expect(ticks.length).toBeGreaterThanOrEqual(60);
    expect(agree / ticks.length).toBeGreaterThanOrEqual(0.95);
    // Every message published was handled exactly once, or is still pending: none lost.
    const summary = events.find((e) => e.type === 'summary') as unknown as {
      published: number;
      lagLeft: number;
      restarts: number;
    };
    const handled = readFileSync(out, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map(Number);
    expect(new Set(handled).size).toBe(handled.length);
    expect(handled.length + summary.lagLeft).toBe(summary.published);
    expect(summary.published).toBeGreaterThan(900);
    expect(summary.restarts).toBe(0);
    // The two replicas removed at scale-in finished their messages and exited on SIGTERM.
    const stopped = events.filter((e) => e.type === 'replica' && e.kind === 'stopped');
    expect(stopped).toHaveLength(4);
    for (const e of stopped) expect(e.message).toMatch(/after SIGTERM \(exited with code 0\)/);
  });

  it("wakes a managed consumer's service from zero and scales it back to zero after the cooldown", async () => {
    const claim = claimFile('wakes').replace('.yaml', '-zero.yaml');
    writeFileSync(
      claim,
      readFileSync(claimFile('wakes'), 'utf8')
        .replace('minReplicas: 1', 'minReplicas: 0')
        .replace('cooldownPeriod: 10', 'cooldownPeriod: 5')
        .replace(
          '    consumer: wakes-workers',
          '    consumer: wakes-workers\n    managedConsumer: true',
        ),
    );
    const out = join(dir, 'woken.txt');
    writeFileSync(out, '');
    const run = await eds(
      [
        'dev',
        claim,
        '--handler',
        handlerFile(100, out),
        '--publish',
        '20',
        '--publish-count',
        '20',
        '--duration',
        '20s',
        ...common,
      ],
      '',
      dir,
      90_000,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const events = lines(run.stdout);
    expect(
      events.some(
        (e) =>
          e.type === 'note' &&
          String(e.message).startsWith('created consumer wakes-workers as NACK would'),
      ),
    ).toBe(true);
    const scale = events.filter((e) => e.type === 'scale').map((e) => [e.by, e.kind, e.from, e.to]);
    expect(scale[0]).toEqual(['keda', 'activate', 0, 1]);
    expect(scale.at(-1)).toEqual(['keda', 'deactivate', 1, 0]);
    expect(
      readFileSync(out, 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    ).toHaveLength(20);
  });

  it('fails a replica whose Secret was not given, naming it as the kubelet does', async () => {
    const claim = claimFile('needs-secret', '  secret1Name: orders-db\n');
    const run = await devScript(claim, '3s', 'setTimeout(() => {}, 60000)');
    expect(run.code).toBe(1);
    const errors = run.events.filter((e) => e.kind === 'config-error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe(
      'container main: CreateContainerConfigError: secret "orders-db" not found',
    );
    expect(run.events.some((e) => e.kind === 'started')).toBe(false);
  });

  it('passes a Secret given as a dotenv file to the init container and the worker', async () => {
    const claim = claimFile(
      'with-secret',
      `  secret1Name: orders-db
  initContainer:
    command: ['/bin/sh', '-c']
    args: ['echo "migrating $DB_URL"']
`,
    );
    const env = join(dir, 'db.env');
    writeFileSync(env, '# the database\nDB_URL="postgres://db/orders"\n');
    const script =
      "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT); console.log('db', process.env.DB_URL, 'nats', process.env.NATS_URL.startsWith('nats://127.0.0.1:'))";
    const run = await devScript(claim, '1s', script, ['--secret', `orders-db=${env}`]);
    expect(run.code).toBe(0);
    const output = run.events.filter((e) => e.kind === 'output').map((e) => e.message);
    expect(output).toContain('init: migrating postgres://db/orders');
    expect(output).toContain('db postgres://db/orders nats true');
  });

  it('reports a failing init container and does not start the worker', async () => {
    const claim = claimFile(
      'bad-init',
      "  initContainer:\n    command: ['/bin/sh', '-c']\n    args: ['exit 0']\n",
    );
    const run = await devScript(claim, '2s', '0', ['--init', 'echo no database; exit 3']);
    expect(run.code).toBe(1);
    const events = run.events;
    expect(events.find((e) => e.kind === 'init-failed')?.message).toBe(
      'init container init exited with code 3 (Init:Error); the worker does not start until it succeeds',
    );
    expect(events.some((e) => e.kind === 'output' && e.message === 'init: no database')).toBe(true);
    expect(events.some((e) => e.kind === 'started')).toBe(false);
  });

  it('restarts a replica that fails its liveness probe, and reports the restart', async () => {
    const claim = claimFile('unhealthy');
    // Ready at once, never healthy: the liveness probe (10 s delay, every 10 s, 3 failures) fails at 30 s.
    const server =
      "require('http').createServer((q, s) => { s.statusCode = q.url === '/ready' ? 200 : 500; s.end(); }).listen(process.env.PORT)";
    const run = await devScript(claim, '28s', server, [], 90_000);
    expect(run.code).toBe(0);
    const events = run.events;
    const restart = events.find((e) => e.kind === 'restart');
    expect(restart?.message).toBe(
      'liveness probe failed: liveness /health: HTTP probe failed with statuscode: 500; restarting (restart 1)',
    );
    expect((events.find((e) => e.type === 'summary') as { restarts?: number }).restarts).toBe(1);
  });

  it('kills a replica that ignores SIGTERM once the grace period is over', async () => {
    const claim = claimFile('stubborn', '  terminationGracePeriodSeconds: 2\n');
    const server =
      "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); require('http').createServer((q, s) => s.end()).listen(process.env.PORT)";
    const run = await devScript(claim, '1s', server);
    expect(run.code).toBe(0);
    const events = run.events;
    expect(events.some((e) => e.kind === 'output' && e.message === 'ignoring SIGTERM')).toBe(true);
    expect(events.find((e) => e.kind === 'stopped')?.message).toBe(
      'killed with SIGKILL: still running 2s after SIGTERM (terminationGracePeriodSeconds)',
    );
  });

  it('on a terminal, redraws one status line in place under the log', () => {
    // script(1) gives eds dev a pseudo-terminal for stdout, as a user's shell would.
    const claim = claimFile('on-a-tty');
    const out = join(dir, 'tty-handled.txt');
    writeFileSync(out, '');
    const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
    const command = [
      process.execPath,
      join(ROOT, 'packages/cli/bin/eds.js'),
      'dev',
      claim,
      '--handler',
      handlerFile(20, out),
      '--create-stream',
      'orders.>',
      '--publish',
      '10',
      '--publish-count',
      '20',
      '--duration',
      '4s',
    ]
      .map(quote)
      .join(' ');
    const run = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    const screen = run.stdout;
    // Each write starts by returning to the line's start and clearing it (CR, ESC [K).
    const writes = screen.split('\r\u001b[K');
    const redraws = writes.filter((w) =>
      /^replicas \d+\/\d+ ready {2}lag \S+ {2}[\d.]+ msg\/s/.test(w),
    );
    expect(redraws.length).toBeGreaterThanOrEqual(3);
    // The status line is never ended: log lines and the summary are written over it.
    expect(screen).not.toMatch(/msg\/s\r?\n/);
    expect(
      writes.some((w) => /^ +\d+s on-a-tty-dev-0 ready \(\/ready answered after /.test(w)),
    ).toBe(true);
    expect(screen).toContain('20 published by eds dev');
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(20);
  });

  it('refuses a run without a worker, or with both a command and a handler', async () => {
    const claim = claimFile('usage');
    for (const args of [[claim], [claim, '--handler', 'h.mjs', '--', 'node']]) {
      const run = await eds(['dev', ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/give the worker as a command after --/);
    }
    const bad = await eds(['dev', claim, '--secret', 'NOPE', '--', 'node']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--secret "NOPE" is not NAME=FILE/);
  });
});
