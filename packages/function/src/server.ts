/**
 * The gRPC server Crossplane calls. Built on the SDK's service definition, but
 * bound here so that a taken port or missing certificates fail loudly (the SDK's `serve()`
 * logs and exits 0), with mutual TLS (the SDK's credentials make client certificates optional),
 * and with a response serializer that reuses the encoding of unchanged composed objects
 * (wire.ts).
 */
import {
  FunctionRunnerServiceService,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { runFunction } from './run.js';
import { encodeResponse } from './wire.js';

export interface ServeOptions {
  /** `host:port`; port 0 picks a free one. */
  readonly address: string;
  readonly insecure: boolean;
  /**
   * Directory with `tls.crt`, `tls.key` and `ca.crt` (Crossplane mounts `/tls/server`). Every
   * client must present a certificate signed by `ca.crt`, as Crossplane does.
   */
  readonly tlsCertsDir?: string;
  readonly debug?: boolean;
  readonly logger?: Logger;
  /** What answers each call. @default runFunction; tests replace it to reach the error path. */
  readonly runFunction?: (req: RunFunctionRequest) => RunFunctionResponse;
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

/** The files of a TLS directory as Crossplane mounts it (a `kubernetes.io/tls` Secret plus CA). */
const TLS_FILES = { key: 'tls.key', cert: 'tls.crt', ca: 'ca.crt' } as const;

/**
 * Mutual TLS: the server presents `tls.crt` and refuses any client that does not present a
 * certificate signed by `ca.crt`. Crossplane's function runner always presents one, signed by
 * the same root CA (`crossplane-root-ca`) as the function's own certificate. The SDK's
 * `getServerCredentials` passes `checkClientCertificate: false`, which lets anyone who can
 * reach the port call the function; so the credentials are built here.
 */
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
    const read = (file: string) => readFileSync(join(dir, file));
    return grpc.ServerCredentials.createSsl(
      read(TLS_FILES.ca),
      [{ private_key: read(TLS_FILES.key), cert_chain: read(TLS_FILES.cert) }],
      true, // checkClientCertificate: require one, and verify it against ca.crt
    );
  } catch (e) {
    throw new ServeError(
      'tls',
      `cannot load TLS certificates from ${dir} (tls.crt, tls.key, ca.crt): ${(e as Error).message}`,
      { cause: e },
    );
  }
}

/** Longest error text put in a gRPC status; the whole error, with its stack, is in the log. */
const MAX_DETAILS = 200;

function internalMessage(e: unknown): string {
  const text = `the composition function failed: ${e instanceof Error ? e.message : String(e)}`;
  return text.length > MAX_DETAILS ? `${text.slice(0, MAX_DETAILS - 3)}...` : text;
}

export async function startFunctionServer(opts: ServeOptions): Promise<FunctionServer> {
  const logger = opts.logger ?? pino({ level: opts.debug === true ? 'debug' : 'info' });
  const run = opts.runFunction ?? runFunction;
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
        const tag = call.request.meta?.tag;
        // runFunction is synchronous and never throws on any request: a throw is a bug. It is
        // answered with INTERNAL, which Crossplane reports on the XR and retries with back-off,
        // rather than with a FATAL result that would read like a problem with the claim.
        let rsp: RunFunctionResponse;
        try {
          rsp = run(call.request);
        } catch (e) {
          logger.error({ err: e, tag }, 'RunFunction failed');
          callback({ code: grpc.status.INTERNAL, details: internalMessage(e) });
          return;
        }
        logger.debug({ tag, ms: Number((performance.now() - started).toFixed(3)) }, 'RunFunction');
        callback(null, rsp);
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
