/**
 * The setup the in-process integration tests share: call these inside a `describe` callback and
 * they register that block's hooks.
 */
import type { NatsConnection, NodeConnectionOptions } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { connectClient } from './jetstream.js';
import { startInProcess } from './in-process.js';
import type { InProcessWorker } from './in-process.js';
import { NatsServer } from './nats-server.js';

export interface TrackedWorkers {
  /** `startInProcess`, the worker stopped after the current test. */
  start: (...args: Parameters<typeof startInProcess>) => Promise<InProcessWorker>;
  /** No longer stops `w` after the test (for a test that stopped it itself). */
  forget: (w: InProcessWorker) => void;
}

/** Stops, after each test, every worker started through the returned `start`. */
export function trackWorkers(): TrackedWorkers {
  let running: InProcessWorker[] = [];
  afterEach(async () => {
    await Promise.all(running.map((w) => w.worker.stop('test done')));
    running = [];
  });
  return {
    start: async (...args) => {
      const w = await startInProcess(...args);
      running.push(w);
      return w;
    },
    forget: (w) => {
      running = running.filter((r) => r !== w);
    },
  };
}

export interface NatsSuiteOptions {
  /** Passed to nats-server as they are, e.g. `['--user', 'u', '--pass', 'p']`. */
  readonly serverArgs?: readonly string[];
  /** Added to the test client's connect options, e.g. `{ user, pass }`. */
  readonly connect?: NodeConnectionOptions;
}

export interface NatsSuite extends TrackedWorkers {
  /** The block's nats-server (from `beforeAll` on). */
  server: () => NatsServer;
  /** The test client connected to it (from `beforeAll` on). */
  nc: () => NatsConnection;
  /** A worker env for `stream` on this server, consumer group `<stream>-workers`, plus `extra`. */
  env: (stream: string, extra?: Record<string, string>) => Record<string, string>;
}

/**
 * A nats-server and a client for the current describe block (started in `beforeAll`, closed
 * and disposed in `afterAll`), with in-process workers stopped after each test.
 */
export function natsSuite(options: NatsSuiteOptions = {}): NatsSuite {
  let server: NatsServer | undefined;
  let nc: NatsConnection | undefined;
  const workers = trackWorkers();

  beforeAll(async () => {
    server = await NatsServer.start(options.serverArgs);
    nc = await connectClient(server.url, options.connect);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.dispose();
  });

  const getServer = (): NatsServer => {
    if (server === undefined) throw new Error('natsSuite: the server starts in beforeAll');
    return server;
  };
  return {
    ...workers,
    server: getServer,
    nc: () => {
      if (nc === undefined) throw new Error('natsSuite: the client connects in beforeAll');
      return nc;
    },
    env: (stream, extra = {}) => ({
      NATS_URL: getServer().url,
      NATS_STREAM_NAME: stream,
      NATS_CONSUMER_GROUP: `${stream.toLowerCase()}-workers`,
      ...extra,
    }),
  };
}
