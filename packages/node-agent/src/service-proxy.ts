/**
 * The service proxy: the local cluster's stand-in for cluster DNS and kube-proxy, for clients
 * that honour `HTTPS_PROXY` (Go's net/http and gRPC-Go, e.g. Crossplane calling a function at
 * `dns:///<service>.<namespace>:9443`). A client sends `CONNECT <service>.<namespace>:<port>`;
 * the proxy reads the Service and the ready pods its selector picks on this node, and tunnels
 * the bytes, untouched (TLS stays end to end), to one of them on the local port the agent gave
 * that container port, taking the pods in turn. Listens on loopback only; anything but CONNECT
 * gets 405.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Kube } from './kube.js';
import { describeError, statusOf } from './kube.js';
import type { Log } from './log.js';
import { parseServiceName, podLocalPort, podReady, type ServiceName } from './service-route.js';

class RouteError extends Error {
  constructor(
    readonly status: 404 | 502 | 503,
    message: string,
  ) {
    super(message);
  }
}

const REASONS = {
  400: 'Bad Request',
  404: 'Not Found',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export interface ServiceProxy {
  readonly port: number;
  close(): Promise<void>;
}

export async function startServiceProxy(
  kube: Kube,
  nodeName: string,
  listen: { host: string; port: number },
  log: Log,
): Promise<ServiceProxy> {
  const turn = new Map<string, number>();

  async function route(name: ServiceName): Promise<number> {
    const where = `service ${name.namespace}/${name.service}`;
    let svc;
    try {
      svc = await kube.core.readNamespacedService({
        name: name.service,
        namespace: name.namespace,
      });
    } catch (err) {
      if (statusOf(err) === 404) throw new RouteError(404, `${where} not found`);
      throw new RouteError(502, `${where}: ${describeError(err)}`);
    }
    const port = (svc.spec?.ports ?? []).find((p) => p.port === name.port);
    if (port === undefined) throw new RouteError(404, `${where} has no port ${name.port}`);
    const selector = Object.entries(svc.spec?.selector ?? {});
    if (selector.length === 0)
      throw new RouteError(502, `${where} has no selector: this proxy routes only to pods`);
    const list = await kube.core.listNamespacedPod({
      namespace: name.namespace,
      labelSelector: selector.map(([k, v]) => `${k}=${v}`).join(','),
      fieldSelector: `spec.nodeName=${nodeName}`,
    });
    const target = port.targetPort ?? port.port;
    const ports = list.items
      .map((pod) => JSON.parse(JSON.stringify(pod)) as Parameters<typeof podReady>[0])
      .filter(podReady)
      .map((pod) => podLocalPort(pod, target))
      .filter((p): p is number => p !== undefined)
      .sort((a, b) => a - b);
    if (ports.length === 0) throw new RouteError(503, `${where} has no ready pod`);
    const key = `${name.namespace}/${name.service}:${name.port}`;
    const n = turn.get(key) ?? 0;
    turn.set(key, n + 1);
    return ports[n % ports.length] as number;
  }

  function refuse(socket: Duplex, status: keyof typeof REASONS, message: string): void {
    socket.end(
      `HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${message}\n`,
    );
  }

  const server: Server = createServer((_req, res) => {
    res.writeHead(405, { 'Content-Type': 'text/plain', Allow: 'CONNECT' });
    res.end('this proxy only tunnels: CONNECT <service>.<namespace>:<port>\n');
  });
  // Tunnels are upgraded sockets, which server.close() leaves open: they are closed by hand.
  const tunnels = new Set<Duplex>();
  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    tunnels.add(client);
    client.once('close', () => tunnels.delete(client));
    const authority = req.url ?? '';
    const name = parseServiceName(authority);
    if (typeof name === 'string') {
      log('proxy.refused', { target: authority, status: 400, reason: name });
      refuse(client, 400, name);
      return;
    }
    client.on('error', () => {});
    route(name).then(
      (localPort) => {
        const upstream: Socket = connect(localPort, '127.0.0.1');
        upstream.once('connect', () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          if (head.length > 0) upstream.write(head);
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.once('error', (err) => {
          if (upstream.connecting) {
            log('proxy.refused', { target: authority, status: 502, reason: err.message });
            refuse(client, 502, `pod port ${localPort}: ${err.message}`);
          } else {
            client.destroy();
          }
        });
        client.once('close', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        log('proxy.tunnel', { target: authority, port: localPort });
      },
      (err: unknown) => {
        const status = err instanceof RouteError ? err.status : 502;
        const reason = err instanceof RouteError ? err.message : describeError(err);
        log('proxy.refused', { target: authority, status, reason });
        refuse(client, status, reason);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : listen.port;
  log('proxy.listening', { address: `${listen.host}:${port}` });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
        for (const t of tunnels) t.destroy();
      }),
  };
}
