import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { WorkerMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export interface ProbeServer {
  /** The port actually bound (differs from the setting when it was 0). */
  readonly port: number;
  close(): Promise<void>;
}

export interface ProbeServerOptions {
  readonly port: number;
  /** Interface to bind; default all interfaces, as kubelet probes the pod IP. */
  readonly host?: string;
  readonly readiness: Readiness;
  readonly metrics: WorkerMetrics;
  readonly log: Logger;
}

/** Serves `GET /health`, `GET /ready` and `GET /metrics` with the node `http` module. */
export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const { readiness, metrics, log } = options;

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, { error: `method ${req.method ?? ''} not allowed` });
      return;
    }
    switch (path) {
      case '/health':
      case '/healthz':
        send(res, 200, { status: 'healthy' });
        return;
      case '/ready':
      case '/readyz': {
        const report = await readiness.evaluate();
        send(res, report.ready ? 200 : 503, {
          status: report.ready ? 'ready' : 'not ready',
          checks: report.checks,
        });
        return;
      }
      case '/metrics': {
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
        return;
      }
      default:
        send(res, 404, { error: `no route ${path ?? ''}; try /health, /ready or /metrics` });
    }
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      log.error({ event: 'http_error', err }, 'probe request failed');
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
