import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eds, ROOT, STACK_FRAME } from './run.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'eds-scale-'));
const burst = ['--rate', '0', '--handler-ms', '1000', '--burst', '100', '--duration', '10m'];

describe('eds scale', () => {
  it('prints the summary and the scaling events', async () => {
    const r = await eds(['scale', 'examples/minimal-claim.yaml', ...burst]);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'workers/simple-worker: 0 msg/s, 1000 ms per message, burst 100, 600 s (10m0s) simulated',
        'scaling: replicas 1..10, lagThreshold 5, pollingInterval 5 s, cooldownPeriod 300 s, activationLagThreshold 0',
        'worker: concurrency 5, takes work 5 s after its pod starts',
        '',
        'backlog      drained at 8 s',
        'replicas     peak 5 at 0 s, 1 at the end; 0 keep up with 0 msg/s at 1000 ms (ceil(0 × 1000 / 1000 / 5))',
        'pod-minutes  30',
        'max wait     7 s',
        'messages     100 arrived, 100 handled',
        '',
        'scaling events',
        '    0 s  1 → 5  hpa: lag 100 over 1 replica, target 5 each (ratio 20.00, outside ±10 %): wants ceil(100 / 5) = 20; scale-up policies allow at most 5 now',
        '  300 s  5 → 1  hpa: lag 0 over 5 replicas, target 5 each (ratio 0.00, outside ±10 %): wants ceil(0 / 5) = 0; no higher recommendation in the last 300 s; kept at minReplicas 1',
        '',
        "A model of KEDA's and the HPA's rules (docs/scale.md), not a measurement.",
        '',
      ].join('\n'),
    });
  });

  it('prints JSON with the claim, the resolved profile, the summary, the events and the timeline', async () => {
    const r = await eds([
      'scale',
      'examples/full-claim.yaml',
      '--rate',
      '100',
      '--handler-ms',
      '500',
      '--duration',
      '300',
      '-f',
      'json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      settings: unknown;
      profile: unknown;
      timeline: unknown[];
      summary: unknown;
      events: { at: number; from: number; to: number }[];
      plot: string | null;
    };
    expect(out.settings).toEqual({
      minReplicas: 2,
      maxReplicas: 20,
      lagThreshold: 50,
      pollingInterval: 10,
      cooldownPeriod: 120,
      activationLagThreshold: 0,
    });
    expect(out.profile).toEqual({
      rate: 100,
      handlerMs: 500,
      burst: 0,
      durationSeconds: 300,
      concurrency: 5,
      startupSeconds: 5,
      initialReplicas: 2,
    });
    expect(out.timeline).toHaveLength(300);
    // 100 msg/s × 0.5 s = 50 in handlers: 10 replicas keep up, but at lag 50 the HPA wants
    // ceil(50 / 50) = 1, so once the 120 s window passes it drops to minReplicas (2), the backlog
    // comes back and it scales up again: lagThreshold 50 is too high for this load.
    expect(out.summary).toMatchObject({
      capacityReplicas: 10,
      peakReplicas: 20,
      peakAt: 45,
      finalReplicas: 20,
      drainedAt: 234,
    });
    expect(out.events.map((e) => [e.at, e.from, e.to])).toEqual([
      [15, 2, 6],
      [30, 6, 12],
      [45, 12, 20],
      [165, 20, 2],
      [180, 2, 6],
      [195, 6, 12],
      [210, 12, 20],
    ]);
    expect(out.plot).toBeNull();
  });

  it('writes an SVG chart with --plot', async () => {
    const path = join(tmp(), 'chart.svg');
    const r = await eds(['scale', 'examples/minimal-claim.yaml', ...burst, '--plot', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`\nchart written to ${path}\n`);
    const svg = readFileSync(path, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>workers/simple-worker</title>');
    expect(svg.match(/<polyline /g)).toHaveLength(3);
  });

  it('reports an invalid claim as eds render does, exit 1', async () => {
    const path = join(tmp(), 'bad.yaml');
    writeFileSync(
      path,
      readFileSync(join(ROOT, 'examples/minimal-claim.yaml'), 'utf8').replace(
        'size: small',
        'size: xlarge',
      ),
    );
    const scale = await eds(['scale', path, ...burst]);
    const render = await eds(['render', path]);
    expect(scale).toEqual({ code: 1, stdout: '', stderr: render.stderr });
    expect(scale.stderr).toBe(
      `${path}:10:9  spec.size  "xlarge" is not one of small, medium, large\n1 claim in 1 file: 0 valid, 1 invalid (1 problem)\n`,
    );
  });

  it.each([
    [
      ['--rate', '-5'],
      'eds: --rate: "-5" is not messages per second from 0 to 1000000; e.g. --rate 50',
    ],
    [
      ['--rate', 'fast'],
      'eds: --rate: "fast" is not messages per second from 0 to 1000000; e.g. --rate 50',
    ],
    [
      ['--handler-ms', '0'],
      'eds: --handler-ms: "0" is not a whole number of milliseconds from 1 to 3600000; e.g. --handler-ms 200',
    ],
    [
      ['--burst', '1.5'],
      'eds: --burst: "1.5" is not a whole number of messages from 0 to 1000000000; e.g. --burst 1000',
    ],
    [
      ['--duration', '25h'],
      'eds: --duration: "25h" is not a duration from 1s to 24h (seconds, or a number with s, m or h); e.g. --duration 15m',
    ],
    [
      ['--duration', '0'],
      'eds: --duration: "0" is not a duration from 1s to 24h (seconds, or a number with s, m or h); e.g. --duration 15m',
    ],
    [
      ['--concurrency', '0'],
      'eds: --concurrency: "0" is not a whole number of messages per replica from 1 to 10000; e.g. --concurrency 5',
    ],
  ])('rejects %j with one line and exit 2', async (args, message) => {
    const r = await eds([
      'scale',
      'examples/minimal-claim.yaml',
      '--rate',
      '10',
      '--handler-ms',
      '100',
      ...args,
    ]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
  });

  it('escapes the option value it quotes', async () => {
    const r = await eds([
      'scale',
      'examples/minimal-claim.yaml',
      '--handler-ms',
      '1',
      '--rate',
      '\u001b[2J',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'eds: --rate: "\\\\u001b[2J" is not messages per second from 0 to 1000000; e.g. --rate 50\n',
    );
  });

  it('needs --rate and --handler-ms, and a claim', async () => {
    const missing = await eds(['scale', 'examples/minimal-claim.yaml', '--rate', '1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: required option '--handler-ms <ms>' not specified");
    const none = await eds(
      ['scale', '-', '--rate', '1', '--handler-ms', '1'],
      'apiVersion: v1\nkind: ConfigMap\n',
    );
    expect(none).toEqual({ code: 2, stdout: '', stderr: 'eds: no EventDrivenService in -\n' });
    const unwritable = await eds([
      'scale',
      'examples/minimal-claim.yaml',
      ...burst,
      '--plot',
      join(tmp(), 'no', 'x.svg'),
    ]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/^eds: cannot write .*x\.svg: no such file or directory\n$/);
    expect(unwritable.stderr).not.toMatch(STACK_FRAME);
  });
});
