/** Renders a service's claim and compares each object with the one in the manifests. */
import { at } from './own.js';
import { SCALER_SUFFIX } from '../api/rules.js';
import type { Claim } from '../api/types.js';
import { render } from '../render/render.js';
import type { KubeObject } from '../render/types.js';
import type { SideRoles } from './align.js';
import { diffObject, type Sides } from './diff.js';
import type { Extraction } from './extract.js';
import type { ServiceFacts } from './facts.js';
import type { ServiceGroup } from './group.js';
import { isObject, objects } from './manifests.js';
import { metricsEndpoint, namedPorts, servicePort } from './ports.js';
import type { Difference, Manifest } from './types.js';

type Obj = Record<string, unknown>;

const KINDS = [
  'ServiceAccount',
  'Deployment',
  'Service',
  'ScaledObject',
  'PodDisruptionBudget',
  'ServiceMonitor',
  'Consumer',
] as const;
type Kind = (typeof KINDS)[number];

function inputOf(group: ServiceGroup, kind: Kind): Manifest | undefined {
  switch (kind) {
    case 'ServiceAccount':
      return group.serviceAccount;
    case 'Deployment':
      return group.deployment;
    case 'Service':
      return group.service;
    case 'ScaledObject':
      return group.scaledObject;
    case 'PodDisruptionBudget':
      return group.podDisruptionBudget;
    case 'ServiceMonitor':
      return group.serviceMonitor;
    case 'Consumer':
      return group.consumer;
  }
}

function newObject(kind: Kind, name: string): string {
  switch (kind) {
    case 'ServiceAccount':
      return `the manifests have no ServiceAccount for the pods; the platform creates ${name}, with no API token`;
    case 'Service':
      return `no Service selects the pods; the platform creates the ClusterIP Service ${name} on port 8080 (http)`;
    case 'ScaledObject':
      return `no ScaledObject targets the Deployment; the platform creates ${name}${SCALER_SUFFIX} (see the assumptions)`;
    case 'Deployment':
      return 'the platform creates the Deployment';
    case 'PodDisruptionBudget':
      return `no PodDisruptionBudget selects the pods; the platform creates ${name}, with maxUnavailable 1`;
    // Neither is composed unless the claim asks for it, and a migrated claim asks only when the
    // manifests had one; these are for a claim edited by hand.
    case 'ServiceMonitor':
      return `no ServiceMonitor scrapes the Service; the platform creates ${name}, scraping /metrics on the http port`;
    case 'Consumer':
      return `no NACK Consumer declares the durable consumer; the platform creates ${name}, with the settings the worker expects`;
  }
}

function containers(deployment: unknown): Obj[] {
  return objects(at(deployment, 'spec', 'template', 'spec', 'containers'));
}

/** The emptyDir volume the worker mounts at /tmp, if any. */
function tmpVolume(deployment: unknown, main: Obj | undefined): string | undefined {
  const mount = objects(main?.volumeMounts).find((m) => m.mountPath === '/tmp');
  const volume = objects(at(deployment, 'spec', 'template', 'spec', 'volumes')).find(
    (v) => v.name === mount?.name,
  );
  return volume !== undefined && isObject(volume.emptyDir) && typeof volume.name === 'string'
    ? volume.name
    : undefined;
}

export function compareService(
  group: ServiceGroup,
  extraction: Extraction,
  claim: Claim,
): Difference[] {
  const rendered = new Map(render(claim, claim.spec).map((r) => [r.object.kind, r.object]));
  const deployment = group.deployment.object;
  const main = containers(deployment)[extraction.roles.main];
  const renderedMain = containers(rendered.get('Deployment'))[0];
  const ports: Sides<ReadonlyMap<string, number>> = {
    before: namedPorts([main]),
    after: namedPorts([renderedMain]),
  };
  const before: SideRoles = {
    ...extraction.roles,
    ...optional('tmpVolume', tmpVolume(deployment, main)),
    ...optional('servicePort', servicePort(group.service?.object, ports.before)),
    ...optional(
      'metricsEndpoint',
      metricsEndpoint(group.serviceMonitor?.object, group.service?.object, ports.before),
    ),
  };
  const after: SideRoles = {
    main: 0,
    ...(claim.spec.initContainer === undefined ? {} : { init: 0 }),
    trigger: 0,
    servicePort: 0,
    tmpVolume: 'tmp',
    metricsEndpoint: 0,
  };
  const service: ServiceFacts = {
    name: claim.name,
    input: claim.input,
    spec: claim.spec,
    size: extraction.size,
  };
  // The optional objects only when the claim composes them; a claim without one has no row for it.
  return KINDS.filter((kind) => rendered.has(kind)).flatMap((kind) => {
    const object = rendered.get(kind) as KubeObject;
    const name = String(object.metadata.name);
    const source = inputOf(group, kind);
    if (source === undefined) {
      return [
        {
          verdict: 'policy',
          kind,
          name,
          path: '',
          after: object,
          reason: newObject(kind, claim.name),
        },
      ];
    }
    const rows = diffObject({
      kind,
      objects: { before: source.object, after: object },
      roles: { before, after },
      ports,
      service,
    });
    return rows.map((r): Difference => ({ kind, name: source.name, ...r }));
  });
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
