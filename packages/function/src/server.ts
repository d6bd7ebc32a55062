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
import { mtlsListener, parseBundle, type TlsFiles } from './mtls.js';
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
 * reach the port call the function; and gRPC's own check cannot pass Crossplane's certificates
 * (mtls.ts), so TLS is terminated in mtls.ts.
 */
function tlsFiles(opts: ServeOptions): TlsFiles {
  const dir = opts.tlsCertsDir;
  if (dir === undefined || dir === '') {
    throw new ServeError(
      'tls',
      'no TLS certificates: pass --tls-certs-dir DIR (or set TLS_SERVER_CERTS_DIR), or --insecure for local development',
    );
  }
  try {
    const read = (file: string) => readFileSync(join(dir, file));
    const files = { key: read(TLS_FILES.key), cert: read(TLS_FILES.cert), ca: read(TLS_FILES.ca) };
    if (parseBundle(files.ca).length === 0) throw new Error('ca.crt holds no PEM certificate');
    return files;
  } catch (e) {
    throw new ServeError(
      'tls',
      `cannot load TLS certificates from ${dir} (tls.crt, tls.key, ca.crt): ${(e as Error).message}`,
      { cause: e },
    );
  }
}

/** `host:port` split; the host may be a bracketed IPv6 address. */
function splitAddress(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]*)\]?:(\d{1,5})$/.exec(address);
  if (m?.[1] === undefined || m[2] === undefined || Number(m[2]) > 65535)
    throw new ServeError('bind', `cannot listen on ${address}: not HOST:PORT`);
  return { host: m[1], port: Number(m[2]) };
}

function bindError(address: string, error: Error): ServeError {
  const inUse = /EADDRINUSE|address already in use/i.test(error.message);
  return new ServeError(
    inUse ? 'address-in-use' : 'bind',
    inUse ? `${address} is already in use` : `cannot listen on ${address}: ${error.message}`,
    { cause: error },
  );
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
  let port: number;
  let stopTls = () => Promise.resolve();
  if (opts.insecure) {
    port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(opts.address, grpc.ServerCredentials.createInsecure(), (error, bound) => {
        if (error === null) resolve(bound);
        else reject(bindError(opts.address, error));
      });
    });
  } else {
    const files = tlsFiles(opts);
    const { host, port: wanted } = splitAddress(opts.address);
    // TLS is already terminated: gRPC is handed the decrypted sockets.
    const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
    const tls = mtlsListener(
      files,
      (socket) => {
        injector.injectConnection(socket);
      },
      (reason) => {
        logger.warn({ reason }, 'refused a connection');
      },
    );
    try {
      port = await tls.listen(host, wanted);
    } catch (e) {
      throw bindError(opts.address, e as Error);
    }
    stopTls = () =>
      new Promise<void>((resolve) => {
        tls.server.close(() => {
          resolve();
        });
      });
  }
  logger.info({ address: opts.address, port, tls: !opts.insecure }, 'function listening');
  return {
    port,
    close: () =>
      Promise.all([
        stopTls(),
        new Promise<void>((resolve) => {
          server.tryShutdown(() => {
            resolve();
          });
        }),
      ]).then(() => undefined),
  };
}
