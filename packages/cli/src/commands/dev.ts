/**
 * `eds dev CLAIM -- COMMAND…` (or `--handler FILE`): the service on this machine as the platform
 * would run it (docs/dev.md): a NATS server (the user's, or a local nats-server), the init
 * container's command, replicas with the rendered Deployment's environment, secrets from dotenv
 * files, its probes and grace period, and KEDA's and the HPA's scaling on the real lag.
 * Exit 0 after a clean run; 1 the claim is invalid or a replica never became ready; 2 usage.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { HOST_PORT } from '../monitoring.js';
import { readValidClaims } from '../valid-claims.js';
import { startLocalNats, type LocalNats } from '../dev/local-nats.js';
import {
  connectClient,
  ensureManagedConsumer,
  ensureStream,
  firstSubject,
  publishAtRate,
} from '../dev/nats-client.js';
import { supervise } from '../dev/run.js';
import { readSecrets } from '../dev/secrets.js';
import { jsonView, textView } from '../dev/view.js';
import { parseDuration } from './scale.js';

const DEV_FORMATS = ['text', 'json'] as const;

interface DevOptions {
  readonly handler?: string;
  readonly nats?: string;
  readonly monitoring?: string;
  readonly createStream?: string;
  readonly secret: string[];
  readonly init?: string;
  readonly skipInit?: boolean;
  readonly publish?: string;
  readonly publishCount?: string;
  readonly subject?: string;
  readonly duration?: string;
  readonly format: (typeof DEV_FORMATS)[number];
}

const NATS_URL = /^(nats|tls):\/\/[^\s/]+$/;
const RATE = /^\d+(\.\d+)?$/;

/** The worker's own command for `--handler`: this Node.js running the eds-worker of this install. */
function workerArgv(handler: string): string[] {
  const bin = fileURLToPath(new URL('../bin/eds-worker.js', import.meta.resolve('@eds/worker')));
  return [process.execPath, bin, handler];
}

function checkOptions(opts: DevOptions, command: readonly string[]) {
  if ((opts.handler === undefined) === (command.length === 0))
    throw new UsageError(
      'dev-command',
      'give the worker as a command after -- (e.g. eds dev claim.yaml -- node worker.js) or as --handler FILE, not both',
    );
  if ((opts.nats === undefined) !== (opts.monitoring === undefined))
    throw new UsageError(
      'dev-nats',
      '--nats and --monitoring go together (e.g. --nats nats://127.0.0.1:4222 --monitoring 127.0.0.1:8222); without both, eds dev starts its own nats-server',
    );
  if (opts.nats !== undefined && !NATS_URL.test(opts.nats))
    throw new UsageError(
      'dev-nats',
      `--nats ${JSON.stringify(opts.nats)} is not a nats:// URL; e.g. --nats nats://127.0.0.1:4222`,
    );
  if (opts.monitoring !== undefined && !HOST_PORT.test(opts.monitoring))
    throw new UsageError(
      'dev-monitoring',
      `--monitoring ${JSON.stringify(opts.monitoring)} is not host:port; e.g. --monitoring 127.0.0.1:8222`,
    );
  if (
    opts.publish !== undefined &&
    (!RATE.test(opts.publish) || Number(opts.publish) <= 0 || Number(opts.publish) > 100_000)
  )
    throw new UsageError(
      'dev-publish',
      `--publish ${JSON.stringify(opts.publish)} is not messages per second from 0 to 100000; e.g. --publish 20`,
    );
  if (opts.publishCount !== undefined && !/^\d{1,9}$/.test(opts.publishCount))
    throw new UsageError(
      'dev-publish',
      `--publish-count ${JSON.stringify(opts.publishCount)} is not a whole number; e.g. --publish-count 500`,
    );
  if (opts.publishCount !== undefined && opts.publish === undefined)
    throw new UsageError('dev-publish', '--publish-count needs --publish RATE');
}

export async function devFile(name: string, command: string[], opts: DevOptions): Promise<number> {
  checkOptions(opts, command);
  const duration = opts.duration === undefined ? undefined : parseDuration(opts.duration);
  const secrets = readSecrets(opts.secret);
  const claims = await readValidClaims(name);
  if (claims === undefined) return EXIT.problems;
  const [claim, ...others] = claims;
  if (claim === undefined || others.length > 0)
    throw new UsageError(
      'dev-one-claim',
      `eds dev runs one service; ${name} has ${claims.length} claims`,
    );
  const view = opts.format === 'json' ? jsonView(process.stdout) : textView(process.stdout);

  let local: LocalNats | undefined;
  if (opts.nats === undefined) {
    local = await startLocalNats();
    view.note(
      0,
      `nats-server with JetStream at ${local.url}, monitoring at ${local.monitoring} (temporary store)`,
    );
  }
  const url = opts.nats ?? local?.url ?? '';
  const monitoring = opts.monitoring ?? local?.monitoring ?? '';
  const client = await connectClient(url).catch(async (e: unknown) => {
    await local?.stop();
    throw new UsageError(
      'dev-nats',
      `cannot connect to ${url}: ${e instanceof Error ? e.message : String(e)}`,
    );
  });
  const { stream } = claim.spec.nats;
  try {
    if (opts.createStream !== undefined) {
      const subjects = opts.createStream.split(',').filter((s) => s !== '');
      const r = await ensureStream(client, stream, subjects);
      view.note(
        0,
        r.created
          ? `created work-queue stream ${stream} on ${subjects.join(', ')}`
          : `stream ${stream} exists (subjects ${r.subjects.join(', ')})`,
      );
    }
    const managed = await ensureManagedConsumer(client, claim);
    if (managed === 'created')
      view.note(
        0,
        `created consumer ${claim.spec.nats.consumer} as NACK would (nats.managedConsumer)`,
      );
    else if (managed === 'no-stream')
      view.note(
        0,
        `stream ${stream} does not exist, so the managed consumer cannot be created: add --create-stream SUBJECTS`,
      );
    let publisher: ReturnType<typeof publishAtRate> | undefined;
    let startPublishing: (() => void) | undefined;
    if (opts.publish !== undefined) {
      const subject = opts.subject ?? (await firstSubject(client, stream));
      if (subject === undefined)
        throw new UsageError(
          'dev-publish',
          `stream ${stream} does not exist, so there is no subject to publish to: add --create-stream SUBJECTS or --subject`,
        );
      const count = opts.publishCount === undefined ? Infinity : Number(opts.publishCount);
      startPublishing = () => {
        publisher = publishAtRate(
          client,
          subject,
          Number(opts.publish),
          count,
          randomUUID(),
          (m) => {
            view.note(0, m);
          },
        );
      };
      view.note(
        0,
        `publishing ${opts.publish} messages/s to ${subject}${Number.isFinite(count) ? `, ${count} in all` : ''}`,
      );
    }
    const stop = new AbortController();
    const onSignal = () => {
      stop.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let timer: NodeJS.Timeout | undefined;
    // The duration counts from the clock's start, as `eds scale --duration` does.
    const onStart = () => {
      if (duration !== undefined) timer = setTimeout(onSignal, duration * 1000);
      startPublishing?.();
    };
    const until = new Promise<void>((resolve) => {
      stop.signal.addEventListener('abort', () => {
        resolve();
      });
    });
    void until.then(() => publisher?.stop());
    const summary = await supervise({
      claim,
      plan: {
        claim,
        argv: opts.handler === undefined ? command : workerArgv(opts.handler),
        ...(opts.init === undefined ? {} : { init: opts.init }),
        skipInit: opts.skipInit === true,
        natsUrl: url,
        secrets,
        cwd: process.cwd(),
      },
      monitoring,
      view,
      until,
      published: () => publisher?.sent() ?? 0,
      onStart,
    });
    clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await publisher?.stop();
    view.summary(summary);
    return summary.failures > 0 ? EXIT.problems : EXIT.ok;
  } finally {
    await client.nc.close();
    await local?.stop();
  }
}

export function registerDev(eds: Command): void {
  eds
    .command('dev')
    .description(
      'run the service on this machine as the platform would: NATS, init container, replicas with the rendered env and probes, KEDA scaling on the real lag',
    )
    .argument('<claim>', 'claim file')
    .argument(
      '[command...]',
      'the worker to run, after --, in place of the image (e.g. -- node dist/worker.js)',
    )
    .option(
      '--handler <file>',
      'run the eds-worker runtime with this handler module instead of a command',
    )
    .option(
      '--nats <url>',
      'a NATS server to use (with --monitoring); default: start a local nats-server',
    )
    .option('--monitoring <host:port>', "that server's monitoring endpoint, where the lag is read")
    .option(
      '--create-stream <subjects>',
      "create the claim's stream (work queue) on these comma-separated subjects if it does not exist",
    )
    .option(
      '--secret <name=file>',
      'a Secret the claim names, from a dotenv file (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option(
      '--init <shell-command>',
      "run this (with /bin/sh -c) in place of the init container's command",
    )
    .option('--skip-init', 'do not run the init container')
    .option('--publish <rate>', 'publish test messages at this rate per second')
    .option('--publish-count <n>', 'stop publishing after this many')
    .option('--subject <subject>', "publish to this subject (default: the stream's first)")
    .option('--duration <d>', 'stop after this long (900, 90s, 15m, 2h); default: until Ctrl-C')
    .addOption(
      new Option('--format <format>', 'output format').choices(DEV_FORMATS).default('text'),
    )
    .action(async (claim: string, command: string[], opts: DevOptions) => {
      process.exitCode = await devFile(claim, command, opts);
    });
}
