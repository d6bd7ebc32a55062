/**
 * Lists are compared item by item, matched by identity rather than position: containers by
 * role (the worker is `[@main]` whatever it was called), env vars by name, ports by number, and
 * so on. Lists without an identity are matched by position.
 */
import { isObject } from './manifests.js';
import { matches, type Shape } from './shape.js';

/** The items of each list the platform gives a role, for one side of the comparison. */
export interface SideRoles {
  readonly main?: number;
  readonly init?: number;
  readonly trigger?: number;
  readonly servicePort?: number;
  readonly tmpVolume?: string;
  /** The ServiceMonitor endpoint that scrapes the worker's port 8080. */
  readonly metricsEndpoint?: number;
}

export interface ItemId {
  /** Shape segment: `[@role]` or `[key]`. */
  readonly segment: string;
  /** Display label: `name=app`, `containerPort=8080`, or the index. */
  readonly label: string;
}

type Obj = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '?');

type Identify = (item: Obj, index: number, roles: SideRoles) => { key: string; label: string };

/** The platform's topology spread constraints, by topology key. */
const SPREAD_ROLES: ReadonlyMap<string, string> = new Map([
  ['topology.kubernetes.io/zone', '@zone'],
  ['kubernetes.io/hostname', '@node'],
]);

const byName: Identify = (item) => ({ key: str(item.name), label: `name=${str(item.name)}` });

const LISTS: readonly { readonly at: string; readonly id: Identify }[] = [
  {
    at: 'spec.template.spec.containers',
    id: (c, i, r) => ({ key: i === r.main ? '@main' : str(c.name), label: `name=${str(c.name)}` }),
  },
  {
    at: 'spec.template.spec.initContainers',
    id: (c, i, r) => ({ key: i === r.init ? '@init' : str(c.name), label: `name=${str(c.name)}` }),
  },
  {
    at: 'spec.template.spec.volumes',
    id: (v, _i, r) => ({
      key: v.name === r.tmpVolume ? '@tmp' : str(v.name),
      label: `name=${str(v.name)}`,
    }),
  },
  {
    at: '**.volumeMounts',
    id: (m) => ({
      key: m.mountPath === '/tmp' ? '@tmp' : str(m.mountPath),
      label: `mountPath=${str(m.mountPath)}`,
    }),
  },
  {
    at: 'spec.template.spec.{containers,initContainers}[*].ports',
    id: (p) => ({
      key: p.containerPort === 8080 ? '@http' : str(p.containerPort),
      label: `containerPort=${str(p.containerPort)}`,
    }),
  },
  {
    // The platform's two constraints by role, so that ours and the manifests' pair up.
    at: 'spec.template.spec.topologySpreadConstraints',
    id: (c) => ({
      key: SPREAD_ROLES.get(str(c.topologyKey)) ?? str(c.topologyKey),
      label: `topologyKey=${str(c.topologyKey)}`,
    }),
  },
  { at: '**.env', id: byName },
  {
    at: '**.envFrom',
    id: (e) => {
      const source = isObject(e.secretRef) ? 'secretRef' : 'configMapRef';
      const ref = e[source];
      const name = isObject(ref) ? str(ref.name) : '?';
      return { key: `${source}:${name}`, label: `${source}=${name}` };
    },
  },
  { at: '{spec.template.spec.imagePullSecrets,imagePullSecrets,secrets}', id: byName },
  {
    at: 'spec.ports',
    id: (p, i, r) => ({
      key: i === r.servicePort ? '@http' : str(p.port),
      label: `port=${str(p.port)}`,
    }),
  },
  {
    at: 'spec.endpoints',
    id: (e, i, r) => {
      const port = str(e.port ?? e.targetPort);
      return { key: i === r.metricsEndpoint ? '@http' : port, label: `port=${port}` };
    },
  },
  {
    at: 'spec.triggers',
    id: (t, i, r) => ({
      key: i === r.trigger ? '@nats' : str(t.type),
      label: `type=${str(t.type)}`,
    }),
  },
];

/** Identities of a list's items; repeated keys get `#2`, `#3`, … so that each stays distinct. */
export function identify(
  shape: Shape,
  items: readonly unknown[],
  roles: SideRoles,
): { item: unknown; id: ItemId }[] {
  const rule = LISTS.find((l) => matches(l.at, shape));
  const seen = new Map<string, number>();
  return items.map((item, index) => {
    const found = isObject(item) && rule !== undefined ? rule.id(item, index, roles) : undefined;
    const base = found?.key ?? String(index);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const key = n === 1 ? base : `${base}#${n}`;
    return { item, id: { segment: `[${key}]`, label: found?.label ?? String(index) } };
  });
}

export interface Pair {
  readonly before?: { readonly item: unknown; readonly id: ItemId };
  readonly after?: { readonly item: unknown; readonly id: ItemId };
}

/** Pairs items with the same identity: the manifests' order, then the platform's extras. */
export function align(
  shape: Shape,
  before: readonly unknown[],
  after: readonly unknown[],
  roles: { readonly before: SideRoles; readonly after: SideRoles },
): Pair[] {
  const b = identify(shape, before, roles.before);
  const a = identify(shape, after, roles.after);
  const pairs: Pair[] = b.map((x) => {
    const match = a.find((y) => y.id.segment === x.id.segment);
    return match === undefined ? { before: x } : { before: x, after: match };
  });
  for (const y of a) {
    if (!b.some((x) => x.id.segment === y.id.segment)) pairs.push({ after: y });
  }
  return pairs;
}
