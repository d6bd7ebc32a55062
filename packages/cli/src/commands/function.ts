import type { Command } from 'commander';
import { UsageError } from '../errors.js';

interface ServeFlags {
  readonly address: string;
  readonly insecure?: boolean;
  readonly tlsCertsDir?: string;
  readonly debug?: boolean;
}

export function registerFunction(eds: Command): void {
  const fn = eds.command('function').description('the Crossplane composition function');
  fn.command('serve')
    .description('serve the composition function over gRPC, as Crossplane calls it')
    .option('--address <host:port>', 'address to listen on', '0.0.0.0:9443')
    .option('--insecure', 'serve without TLS (local development, crossplane composition render)')
    .option(
      '--tls-certs-dir <dir>',
      'directory with tls.crt, tls.key and ca.crt (default: $TLS_SERVER_CERTS_DIR)',
    )
    .option('--debug', 'log every request')
    .action(async (flags: ServeFlags) => {
      // Loaded on demand: gRPC and the SDK are only needed by this command.
      const { startFunctionServer, ServeError } = await import('@eds/function');
      const certs = flags.tlsCertsDir ?? process.env.TLS_SERVER_CERTS_DIR;
      // The handlers come first: a SIGTERM that arrives while the server starts, or just
      // after it logs "function listening", must stop it cleanly, not kill it outright
      // (Node's default for a signal nobody listens to).
      let stop = () => {};
      const stopped = new Promise<void>((resolve) => {
        stop = resolve;
      });
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      try {
        const server = await startFunctionServer({
          address: flags.address,
          insecure: flags.insecure === true,
          ...(certs === undefined ? {} : { tlsCertsDir: certs }),
          debug: flags.debug === true,
        });
        await stopped;
        await server.close();
      } catch (e) {
        if (e instanceof ServeError) throw new UsageError(e.code, e.message, { cause: e });
        throw e;
      } finally {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
      }
    });
}
