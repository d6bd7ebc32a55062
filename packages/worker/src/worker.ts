import type { Logger } from 'pino';
import type { Handler } from './handler.js';
import { startProbeServer } from './http-server.js';
import { WorkerError } from './errors.js';
import { createLogger } from './logger.js';
import { WorkerMetrics } from './metrics.js';
import { Readiness } from './readiness.js';
import type { ReadinessCheck } from './readiness.js';
import type { ShutdownResult } from './drain.js';
import { WorkerRuntime } from './runtime.js';
import type { SettingsInput, WorkerSettings } from './settings.js';
import type { Env } from './settings-parse.js';
import { resolveSettings } from './settings-parse.js';

export interface WorkerOptions {
  /** Settings from code. The environment overrides them (see docs/worker.md). */
  readonly settings?: SettingsInput;
  /** Environment to read; default `process.env`. */
  readonly env?: Env;
  /** Named application checks `/ready` runs besides the worker's own. */
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** Logger to use instead of the worker's own pino JSON logger. */
  readonly logger?: Logger;
  /** Drain on SIGTERM and SIGINT. Default true. */
  readonly handleSignals?: boolean;
  /** Register Node's default process metrics. Default true. */
  readonly defaultMetrics?: boolean;
  /** Interface for the HTTP server; default all interfaces. */
  readonly host?: string;
}

/** A running worker. */
export interface Worker {
  readonly settings: WorkerSettings;
  /** HTTP port actually bound. */
  readonly port: number;
  readonly metrics: WorkerMetrics;
  readonly log: Logger;
  /** Starts a graceful drain (idempotent) and resolves when the worker has stopped. */
  stop(reason?: string): Promise<ShutdownResult>;
  /** Resolves when the worker has stopped, for whatever reason. */
  readonly closed: Promise<ShutdownResult>;
}

/**
 * Starts a worker: the HTTP server at once, then NATS in the background (retrying until the
 * server and stream are there). Resolves once `/health` answers. Throws `SettingsError` for
 * invalid settings and `WorkerError` (code `EDS_PORT_IN_USE`) when the port is taken.
 */
export async function runWorker(handler: Handler, options: WorkerOptions = {}): Promise<Worker> {
  if (typeof handler !== 'function') {
    throw new TypeError(
      `runWorker: handler must be a function (message, context) => Promise<void>; got ${typeof handler}`,
    );
  }
  const settings = resolveSettings(options.env ?? process.env, options.settings);
  const log =
    options.logger ?? createLogger({ level: settings.logLevel, service: settings.consumer });
  const metrics = new WorkerMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const readiness = new Readiness(options.readinessChecks);

  let probes;
  try {
    probes = await startProbeServer({
      port: settings.port,
      readiness,
      metrics,
      log,
      ...(options.host === undefined ? {} : { host: options.host }),
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new WorkerError(
        'EDS_PORT_IN_USE',
        `cannot listen on port ${settings.port} (PORT): ${code}; free it or set PORT to another port`,
        { cause: err },
      );
    }
    throw err;
  }
  log.info(
    { event: 'http_listening', port: probes.port },
    `serving /health, /ready, /metrics on port ${probes.port}`,
  );

  const runtime = new WorkerRuntime({ handler, settings, metrics, readiness, log });
  let resolveClosed: (r: ShutdownResult) => void = () => undefined;
  const closed = new Promise<ShutdownResult>((resolve) => {
    resolveClosed = resolve;
  });
  const signalHandlers: [NodeJS.Signals, () => void][] = [];

  let stopping: Promise<ShutdownResult> | undefined;
  const stop = (reason = 'stop requested', clean = true): Promise<ShutdownResult> => {
    stopping ??= (async () => {
      for (const [sig, fn] of signalHandlers) process.off(sig, fn);
      const result = await runtime.shutdown(reason);
      await probes.close();
      const final = clean ? result : { ...result, clean: false };
      resolveClosed(final);
      return final;
    })();
    return stopping;
  };

  if (options.handleSignals ?? true) {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      const fn = (): void => {
        void stop(sig);
      };
      signalHandlers.push([sig, fn]);
      process.once(sig, fn);
    }
  }

  runtime.start((err) => {
    log.fatal({ event: 'worker_failed', err }, 'the worker cannot continue; shutting down');
    void stop('fatal error', false);
  });

  return { settings, port: probes.port, metrics, log, stop: (reason) => stop(reason), closed };
}
