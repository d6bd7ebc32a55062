import { readFileSync } from 'node:fs';
import { formatProblems, HandlerLoadError, WorkerError } from './errors.js';
import { loadHandler } from './load-handler.js';
import { createLogger } from './logger.js';
import { parseSettings } from './settings-parse.js';
import { runWorker } from './worker.js';

/** Exit codes: 0 drained cleanly, 1 failed or forced, 2 usage or configuration error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const USAGE = `Usage: eds-worker <handler-module>

Runs a NATS JetStream worker whose module default-exports
  async (message, context) => { ... }
and may export readinessChecks = { name: async () => ... }.

Reads NATS_URL, NATS_STREAM_NAME, NATS_CONSUMER_GROUP, PORT and EDS_* settings
from the environment; see docs/worker.md.`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/** The `eds-worker` command. Resolves with the exit code; the caller exits. */
export async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (first === '--version') {
    process.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (first === undefined || first.startsWith('-') || rest.length > 0) {
    process.stderr.write(`eds-worker: expected exactly one handler module path\n\n${USAGE}\n`);
    return EXIT.usage;
  }

  const parsed = parseSettings(process.env);
  if (!parsed.ok) {
    process.stderr.write(`eds-worker: ${formatProblems(parsed.problems)}\n`);
    return EXIT.usage;
  }
  const { settings } = parsed;
  const log = createLogger({ level: settings.logLevel, service: settings.consumer });

  let loaded;
  try {
    loaded = await loadHandler(first);
  } catch (err) {
    if (!(err instanceof HandlerLoadError)) throw err;
    // The message says it all in one line; the cause may be a value no logger can serialize.
    log.fatal({ event: 'handler_load_failed', code: err.code }, err.message);
    process.stderr.write(`eds-worker: ${err.message}\n`);
    return EXIT.usage;
  }

  let worker;
  try {
    worker = await runWorker(loaded.handler, {
      readinessChecks: loaded.readinessChecks,
      logger: log,
      env: process.env,
    });
  } catch (err) {
    if (err instanceof WorkerError) {
      log.fatal({ event: 'start_failed', code: err.code }, err.message);
      process.stderr.write(`eds-worker: ${err.message}\n`);
      // A taken port is the environment's fault; anything else is how the worker was set up.
      return err.code === 'EDS_PORT_IN_USE' ? EXIT.failed : EXIT.usage;
    }
    throw err;
  }

  const onCrash = (err: unknown): void => {
    log.fatal({ event: 'uncaught_error', err }, 'uncaught error; shutting down');
    process.exitCode = EXIT.failed;
    void worker.stop('uncaught error');
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  const result = await worker.closed;
  return result.clean && process.exitCode !== EXIT.failed ? EXIT.ok : EXIT.failed;
}
