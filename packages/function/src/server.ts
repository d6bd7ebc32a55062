/**
 * The gRPC server Crossplane calls. Built on the SDK's service definition and runner, but
 * bound here so that a taken port or missing certificates fail loudly (the SDK's `serve()`
 * logs and exits 0), and with a response serializer that reuses the encoding of unchanged
 * composed objects (wire.ts).
 */
import {
  FunctionRunner,
  FunctionRunnerServiceService,
  getServerCredentials,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import * as grpc from '@grpc/grpc-js';
import { pino, type Logger } from 'pino';
import { runFunction } from './run.js';
import { encodeResponse } from './wire.js';

export interface ServeOptions {
  /** `host:port`; port 0 picks a free one. */
  readonly address: string;
  readonly insecure: boolean;
  /** Directory with `tls.crt`, `tls.key` and `ca.crt` (Crossplane mounts `/tls/server`). */
  readonly tlsCertsDir?: string;
  readonly debug?: boolean;
  readonly logger?: Logger;
}

export interface FunctionServer {
  readonly port: number;
  close(): Promise<void>;
}

export class ServeError extends Error {
  override readonly name = 'ServeError';
  readonly code: 'address-in-use' | 'tls' | 'bind';
  constructor(code: ServeError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

function credentials(opts: ServeOptions): grpc.ServerCredentials {
  if (opts.insecure) return grpc.ServerCredentials.createInsecure();
  const dir = opts.tlsCertsDir;
  if (dir === undefined || dir === '') {
    throw new ServeError(
      'tls',
      'no TLS certificates: pass --tls-certs-dir DIR (or set TLS_SERVER_CERTS_DIR), or --insecure for local development',
    );
  }
  try {
    return getServerCredentials({ address: opts.address, tlsServerCertsDir: dir });
  } catch (e) {
    throw new ServeError(
      'tls',
      `cannot load TLS certificates from ${dir} (tls.crt, tls.key, ca.crt): ${(e as Error).message}`,
      { cause: e },
    );
  }
}

export async function startFunctionServer(opts: ServeOptions): Promise<FunctionServer> {
  const logger = opts.logger ?? pino({ level: opts.debug === true ? 'debug' : 'info' });
  const runner = new FunctionRunner(
    { RunFunction: (req: RunFunctionRequest) => Promise.resolve(runFunction(req)) },
    logger,
  );
  const server = new grpc.Server();
  server.addService(
    {
      runFunction: {
        ...FunctionRunnerServiceService.runFunction,
        responseSerialize: encodeResponse,
      },
    },
    {
      runFunction: (
        call: grpc.ServerUnaryCall<RunFunctionRequest, RunFunctionResponse>,
        callback: grpc.sendUnaryData<RunFunctionResponse>,
      ) => {
        const started = performance.now();
        // The runner turns anything the handler throws into a FATAL result; it never rejects.
        void runner.RunFunction(call.request, logger).then((rsp) => {
          logger.debug(
            { tag: rsp.meta?.tag, ms: Number((performance.now() - started).toFixed(3)) },
            'RunFunction',
          );
          callback(null, rsp);
        });
      },
    },
  );
  const creds = credentials(opts);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(opts.address, creds, (error, bound) => {
      if (error === null) {
        resolve(bound);
        return;
      }
      const inUse = /EADDRINUSE|address already in use/i.test(error.message);
      reject(
        new ServeError(
          inUse ? 'address-in-use' : 'bind',
          inUse
            ? `${opts.address} is already in use`
            : `cannot listen on ${opts.address}: ${error.message}`,
          { cause: error },
        ),
      );
    });
  });
  logger.info({ address: opts.address, port, tls: !opts.insecure }, 'function listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => {
          resolve();
        });
      }),
  };
}
