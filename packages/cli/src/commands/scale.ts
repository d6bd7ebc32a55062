/**
 * `eds scale CLAIM --rate R --handler-ms T`: how KEDA and the HPA would scale the claim's service
 * under a load profile, from the scaling model in @eds/core (docs/scale.md). The claim is read
 * and validated as `eds render` reads it; the summary and the scaling events go to stdout as text,
 * or everything (timeline included) as JSON; `--plot FILE.svg` also writes a chart.
 * Exit 0: simulated; 1: the claim is invalid; 2: bad usage or I/O.
 */
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_STARTUP_SECONDS,
  MAX_SIMULATED_SECONDS,
  scalingSettings,
  simulate,
  simulationSvg,
  type Claim,
  type Simulation,
} from '@eds/core';
import { readValidClaims } from '../valid-claims.js';
import { Option, type Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { EXIT, UsageError } from '../errors.js';
import { printableJson, printableLines } from '../terminal.js';

export const SCALE_FORMATS = ['text', 'json'] as const;
type ScaleFormat = (typeof SCALE_FORMATS)[number];

/** Upper bounds that keep a run cheap and its numbers meaningful. */
const LIMITS = {
  rate: 1_000_000,
  handlerMs: 3_600_000,
  burst: 1_000_000_000,
  concurrency: 10_000,
  startup: 3_600,
} as const;

interface ScaleOptions {
  readonly rate: string;
  readonly handlerMs: string;
  readonly burst: string;
  readonly duration: string;
  readonly concurrency: string;
  readonly startup: string;
  readonly plot?: string;
  readonly format: ScaleFormat;
}

const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

/** A `UsageError` naming the option, the value and what it takes. */
const bad = (option: string, value: string, takes: string, example: string) =>
  new UsageError(
    'option',
    `${option}: ${JSON.stringify(value)} is not ${takes}; e.g. ${option} ${example}`,
  );

function decimal(option: string, value: string, max: number, takes: string, example: string) {
  const n = Number(value);
  if (!DECIMAL.test(value) || n > max) throw bad(option, value, takes, example);
  return n;
}

function whole(
  option: string,
  value: string,
  min: number,
  max: number,
  takes: string,
  example: string,
) {
  const n = Number(value);
  if (!WHOLE.test(value) || n < min || n > max) throw bad(option, value, takes, example);
  return n;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3_600 };

/** `900`, `900s`, `15m` or `2h`, in whole seconds, at most a day. */
export function parseDuration(value: string): number {
  const m = /^(\d+)(s|m|h)?$/.exec(value);
  const seconds = m === null ? NaN : Number(m[1]) * (UNIT_SECONDS[m[2] ?? ''] ?? NaN);
  if (!(seconds >= 1 && seconds <= MAX_SIMULATED_SECONDS)) {
    throw bad(
      '--duration',
      value,
      `a duration from 1s to 24h (seconds, or a number with s, m or h)`,
      '15m',
    );
  }
  return seconds;
}

function profileOf(opts: ScaleOptions) {
  return {
    rate: decimal(
      '--rate',
      opts.rate,
      LIMITS.rate,
      `messages per second from 0 to ${LIMITS.rate}`,
      '50',
    ),
    handlerMs: whole(
      '--handler-ms',
      opts.handlerMs,
      1,
      LIMITS.handlerMs,
      `a whole number of milliseconds from 1 to ${LIMITS.handlerMs}`,
      '200',
    ),
    burst: whole(
      '--burst',
      opts.burst,
      0,
      LIMITS.burst,
      `a whole number of messages from 0 to ${LIMITS.burst}`,
      '1000',
    ),
    durationSeconds: parseDuration(opts.duration),
    concurrency: whole(
      '--concurrency',
      opts.concurrency,
      1,
      LIMITS.concurrency,
      `a whole number of messages per replica from 1 to ${LIMITS.concurrency}`,
      String(DEFAULT_CONCURRENCY),
    ),
    startupSeconds: whole(
      '--startup',
      opts.startup,
      0,
      LIMITS.startup,
      `a whole number of seconds from 0 to ${LIMITS.startup}`,
      String(DEFAULT_STARTUP_SECONDS),
    ),
  };
}

/** `75 s`, or `75 s (1m15s)` past a minute. */
function seconds(s: number): string {
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const rest = s % 60;
  const parts = [h > 0 ? `${h}h` : '', h > 0 || m > 0 ? `${m}m` : '', `${rest}s`].join('');
  return `${s} s (${parts})`;
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

function identity(claim: Claim): string {
  return claim.namespace === undefined ? claim.name : `${claim.namespace}/${claim.name}`;
}

export function formatScaleText(claim: Claim, sim: Simulation, plot?: string): string {
  const { settings: s, profile: p, summary: sum } = sim;
  const drained =
    sum.drainedAt === null
      ? `never drains within ${seconds(p.durationSeconds)}`
      : sum.drainedAt === 0
        ? 'no message waits'
        : `drained at ${seconds(sum.drainedAt)}`;
  const keepUp = `${sum.capacityReplicas} keep up with ${p.rate} msg/s at ${p.handlerMs} ms (ceil(${p.rate} × ${p.handlerMs} / 1000 / ${p.concurrency}))`;
  const width = Math.max(0, ...sim.events.map((e) => `${e.from} → ${e.to}`.length));
  const atWidth = Math.max(0, ...sim.events.map((e) => `${e.at} s`.length));
  return printableLines([
    `${identity(claim)}: ${p.rate} msg/s, ${p.handlerMs} ms per message, burst ${p.burst}, ${seconds(p.durationSeconds)} simulated`,
    `scaling: replicas ${s.minReplicas}..${s.maxReplicas}, lagThreshold ${s.lagThreshold}, pollingInterval ${s.pollingInterval} s, cooldownPeriod ${s.cooldownPeriod} s, activationLagThreshold ${s.activationLagThreshold}`,
    `worker: concurrency ${p.concurrency}, takes work ${p.startupSeconds} s after its pod starts`,
    '',
    `backlog      ${drained}`,
    `replicas     peak ${sum.peakReplicas} at ${seconds(sum.peakAt)}, ${sum.finalReplicas} at the end; ${keepUp}`,
    `pod-minutes  ${round(sum.podMinutes, 1)}`,
    `max wait     ${seconds(sum.maxWaitSeconds)}`,
    `messages     ${round(sum.arrived, 0)} arrived, ${sum.handled} handled`,
    '',
    sim.events.length === 0 ? 'no scaling events' : 'scaling events',
    ...sim.events.map(
      (e) =>
        `  ${`${e.at} s`.padStart(atWidth)}  ${`${e.from} → ${e.to}`.padEnd(width)}  ${e.reason}`,
    ),
    ...(plot === undefined ? [] : ['', `chart written to ${plot}`]),
    '',
    "A model of KEDA's and the HPA's rules (docs/scale.md), not a measurement.",
  ]);
}

function reason(cause: unknown): string {
  const code = (cause as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return cause instanceof Error ? cause.message : String(cause);
}

export async function scaleFile(name: string, opts: ScaleOptions): Promise<number> {
  const profile = profileOf(opts);
  const claims = await readValidClaims(name);
  if (claims === undefined) return EXIT.problems;
  const [claim, ...others] = claims;
  if (claim === undefined || others.length > 0) {
    throw new UsageError(
      'many-claims',
      `${name} holds ${claims.length} claims; eds scale simulates one, so give it a file with one claim`,
    );
  }
  const sim = simulate(scalingSettings(claim.spec.scaling), profile);
  if (opts.plot !== undefined) {
    try {
      await writeFile(opts.plot, simulationSvg(sim, identity(claim)));
    } catch (e) {
      throw new UsageError('io', `cannot write ${opts.plot}: ${reason(e)}`, { cause: e });
    }
  }
  process.stdout.write(
    opts.format === 'json'
      ? printableJson({
          claim: { name: claim.name, namespace: claim.namespace ?? null },
          settings: sim.settings,
          profile: sim.profile,
          summary: sim.summary,
          events: sim.events,
          timeline: sim.timeline,
          plot: opts.plot ?? null,
        })
      : formatScaleText(claim, sim, opts.plot),
  );
  return EXIT.ok;
}

export function registerScale(eds: Command): void {
  eds
    .command('scale')
    .description(
      'simulate how KEDA and the HPA scale a claim under a load profile ("-" reads stdin); a model, not a measurement',
    )
    .argument('<claim>', 'claim file')
    .requiredOption('--rate <msg/s>', 'messages arriving per second')
    .requiredOption('--handler-ms <ms>', 'milliseconds one message spends in a handler')
    .option('--burst <n>', 'messages already pending at the start', '0')
    .option('--duration <time>', 'time simulated: seconds, or with s, m or h (at most 24h)', '15m')
    .option(
      '--concurrency <n>',
      "messages one replica handles at once (the worker's EDS_CONCURRENCY)",
      String(DEFAULT_CONCURRENCY),
    )
    .option(
      '--startup <seconds>',
      "seconds from a pod's start to its first message (default: the readiness probe's initial delay)",
      String(DEFAULT_STARTUP_SECONDS),
    )
    .option('--plot <file.svg>', 'also write an SVG chart of replicas and lag over time')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(SCALE_FORMATS).default('text'),
    )
    .action(async (claim: string, opts: ScaleOptions) => {
      process.exitCode = await scaleFile(claim, opts);
    });
}
