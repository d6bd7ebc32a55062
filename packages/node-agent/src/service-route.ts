/**
 * Where a Service's port leads on this node: the pure half of the service proxy
 * (service-proxy.ts). A client asks for `<service>.<namespace>[.svc[.cluster.local]]:<port>`, as
 * cluster DNS would resolve it; the Service's port names a target port (a number or a container
 * port's name), and each ready pod behind the Service's selector listens on the local port the
 * agent assigned to that container port (the pod's ports annotation), or on the declared
 * number itself when none was assigned.
 */
import type { Container, Pod } from './kube-types.js';
import { PORTS_ANNOTATION } from './context.js';

export interface ServiceName {
  readonly service: string;
  readonly namespace: string;
  readonly port: number;
}

/** The cluster domain the names may end in, as the kubelet's `--cluster-domain` default. */
const CLUSTER_DOMAIN = 'cluster.local';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `host:port` as a Service's DNS name and port, or a reason it is not one. */
export function parseServiceName(authority: string): ServiceName | string {
  const colon = authority.lastIndexOf(':');
  if (colon < 0) return `${JSON.stringify(authority)} has no port; ask for HOST:PORT`;
  const host = authority.slice(0, colon).toLowerCase().replace(/\.$/, '');
  const portText = authority.slice(colon + 1);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535))
    return `${JSON.stringify(portText)} is not a port number (1-65535)`;
  let labels = host.split('.');
  if (labels.slice(-3).join('.') === `svc.${CLUSTER_DOMAIN}`) labels = labels.slice(0, -3);
  else if (labels.at(-1) === 'svc') labels = labels.slice(0, -1);
  const [service, namespace] = labels;
  if (
    labels.length !== 2 ||
    service === undefined ||
    namespace === undefined ||
    !DNS_LABEL.test(service) ||
    !DNS_LABEL.test(namespace)
  )
    return `${JSON.stringify(host)} is not a Service name: this proxy routes <service>.<namespace>[.svc[.${CLUSTER_DOMAIN}]] only`;
  return { service, namespace, port };
}

/** The pod's `Ready` condition is True and it is not being deleted. */
export function podReady(pod: Pod): boolean {
  return (
    pod.metadata?.deletionTimestamp === undefined &&
    (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/**
 * The local port behind `targetPort` in `pod`: the port the agent assigned to the container port
 * it names, else the declared number. Undefined when no container declares a port by that name.
 */
export function podLocalPort(pod: Pod, targetPort: number | string): number | undefined {
  const containers: readonly Container[] = pod.spec?.containers ?? [];
  const declared = containers.flatMap((c) => c.ports ?? []);
  const match = declared.find((p) =>
    typeof targetPort === 'number' ? p.containerPort === targetPort : p.name === targetPort,
  );
  if (match === undefined) return typeof targetPort === 'number' ? targetPort : undefined;
  let assigned: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(pod.metadata?.annotations?.[PORTS_ANNOTATION] ?? '{}');
    if (typeof parsed === 'object' && parsed !== null) assigned = parsed as Record<string, unknown>;
  } catch {
    // An annotation someone else wrote: the declared port is all there is to go on.
  }
  const local = assigned[match.name ?? String(match.containerPort)];
  return typeof local === 'number' ? local : match.containerPort;
}
