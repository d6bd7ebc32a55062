/**
 * The worker's port 8080 as the manifests reach it: by a container port's name, by a Service
 * port's number or name. The comparison pairs the manifests' Service port and ServiceMonitor
 * endpoint with the platform's by what they reach, whatever they are called.
 */
import { HTTP_PORT } from '../render/deployment.js';
import { at } from './own.js';
import { objects } from './manifests.js';

type Obj = Record<string, unknown>;

/** `name → containerPort` of the given containers. */
export function namedPorts(containers: readonly (Obj | undefined)[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of containers.flatMap((c) => objects(c?.ports))) {
    if (typeof p.name === 'string' && typeof p.containerPort === 'number') {
      out.set(p.name, p.containerPort);
    }
  }
  return out;
}

/** Whether a port reference (a number, or a container port's name) is the worker's 8080. */
export function reachesWorker(ref: unknown, ports: ReadonlyMap<string, number>): boolean {
  return (typeof ref === 'string' ? ports.get(ref) : ref) === HTTP_PORT;
}

/** The index of the Service port that reaches the worker's port 8080. */
export function servicePort(
  service: unknown,
  ports: ReadonlyMap<string, number>,
): number | undefined {
  const index = objects(at(service, 'spec', 'ports')).findIndex((p) =>
    reachesWorker(p.targetPort ?? p.port, ports),
  );
  return index === -1 ? undefined : index;
}

/** The names of the Service ports that reach the worker's port 8080. */
export function servicePortNames(service: unknown, ports: ReadonlyMap<string, number>): string[] {
  return objects(at(service, 'spec', 'ports'))
    .filter((p) => typeof p.name === 'string' && reachesWorker(p.targetPort ?? p.port, ports))
    .map((p) => p.name as string);
}

/**
 * The index of the ServiceMonitor endpoint that scrapes the worker's port 8080: by the Service
 * port's name (`port`), or by the container port (`targetPort`, deprecated but still served).
 */
export function metricsEndpoint(
  monitor: unknown,
  service: unknown,
  ports: ReadonlyMap<string, number>,
): number | undefined {
  const names = servicePortNames(service, ports);
  const index = objects(at(monitor, 'spec', 'endpoints')).findIndex((e) =>
    typeof e.port === 'string' ? names.includes(e.port) : reachesWorker(e.targetPort, ports),
  );
  return index === -1 ? undefined : index;
}
