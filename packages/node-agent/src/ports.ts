/**
 * Loopback ports for containers. Pods share the host network, so two replicas of a program
 * that listens on its declared containerPort would collide; a container whose image map entry
 * names `portEnv` gets a free port of its own instead, passed in that env var.
 */
import { createServer } from 'node:net';
import type { Container } from './kube-types.js';
import { FIRST_PORT, type ImageEntry } from './image-map.js';

const handedOut = new Set<number>();

/** A port nothing listens on now and that this agent has not handed out before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => {
          resolve(typeof address === 'object' && address !== null ? address.port : 0);
        });
      });
    });
    if (port !== 0 && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

export interface PortAssignment {
  /** The declared port's name, or its number when it has none. */
  readonly key: string;
  readonly containerPort: number;
  readonly env: string;
  readonly port: number;
}

/** Which declared ports of `container` the entry's `portEnv` maps, each with a new port. */
export async function assignPorts(
  container: Container,
  entry: ImageEntry,
): Promise<PortAssignment[]> {
  const declared = container.ports ?? [];
  const out: PortAssignment[] = [];
  for (const [which, env] of Object.entries(entry.portEnv)) {
    const p =
      which === FIRST_PORT
        ? declared[0]
        : declared.find((d) => d.name === which || String(d.containerPort) === which);
    out.push({
      key: p === undefined ? env : (p.name ?? String(p.containerPort)),
      containerPort: p?.containerPort ?? 0,
      env,
      port: await freePort(),
    });
  }
  return out;
}

/** The port a probe or hook names, as reached here: an assigned one, or the declared number as is. */
export function resolvePort(
  container: Container,
  assigned: readonly PortAssignment[],
  port: number | string,
): number | undefined {
  const declared = container.ports ?? [];
  const number =
    typeof port === 'number'
      ? port
      : /^\d+$/.test(port)
        ? Number(port)
        : declared.find((d) => d.name === port)?.containerPort;
  if (number === undefined) return undefined;
  return assigned.find((a) => a.containerPort === number)?.port ?? number;
}
