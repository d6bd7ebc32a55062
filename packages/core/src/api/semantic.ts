/**
 * Rules that span fields, which JSON Schema cannot express. They read the raw document
 * defensively, so they report alongside structural problems instead of after them.
 */
import { issue, type Issue, type Segment } from './issues.js';
import { DEFAULTS, RESERVED_ENV, RESERVED_ENV_SOURCE, SECRET_SLOTS } from './constants.js';
import type { ReservedEnv } from './constants.js';
import { podAnnotationIssues } from './annotations.js';
import { serviceMonitorIssues } from './service-monitor.js';

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const int = (v: unknown): number | undefined => (Number.isInteger(v) ? (v as number) : undefined);

const inRange = (v: unknown, low: number): boolean =>
  Number.isInteger(v) && (v as number) >= low && (v as number) <= 1000;

function scalingBounds(spec: Raw): Issue[] {
  const scaling = spec.scaling;
  if (!isObject(scaling)) return [];
  // Values the schema rejects are reported there; compare only what it accepts.
  const { minReplicas, maxReplicas } = scaling;
  if (minReplicas !== undefined && !inRange(minReplicas, 0)) return [];
  if (maxReplicas !== undefined && !inRange(maxReplicas, 1)) return [];
  const min = int(minReplicas) ?? DEFAULTS.minReplicas;
  const max = int(maxReplicas) ?? DEFAULTS.maxReplicas;
  if (min <= max) return [];
  const maxText =
    maxReplicas === undefined ? `the default maxReplicas (${max})` : `maxReplicas (${max})`;
  const minText =
    minReplicas === undefined ? `the default minReplicas (${min})` : `minReplicas (${min})`;
  const at: Segment[] = [
    'spec',
    'scaling',
    minReplicas === undefined ? 'maxReplicas' : 'minReplicas',
  ];
  return [
    issue(
      'scaling-bounds',
      at,
      `${minText} is greater than ${maxText}; raise maxReplicas or lower minReplicas`,
    ),
  ];
}

function secretRefsMountSomething(spec: Raw): Issue[] {
  return list(spec.secretRefs).flatMap((ref, i) => {
    if (!isObject(ref)) return [];
    const bulk = ref.envFrom === true;
    const keys = Array.isArray(ref.env) && ref.env.length > 0;
    return bulk || keys
      ? []
      : [
          issue(
            'mounts-nothing',
            ['spec', 'secretRefs', i],
            `mounts nothing from ${JSON.stringify(ref.name)}: set envFrom: true, list env mappings, or remove the entry`,
          ),
        ];
  });
}

function envNames(spec: Raw): Issue[] {
  const out: Issue[] = [];
  const seen = new Map<string, string>();
  const reserved: readonly string[] = RESERVED_ENV;
  list(spec.secretRefs).forEach((ref, i) => {
    if (!isObject(ref)) return;
    list(ref.env).forEach((mapping, j) => {
      if (!isObject(mapping) || typeof mapping.envName !== 'string') return;
      const at: Segment[] = ['spec', 'secretRefs', i, 'env', j, 'envName'];
      const name = mapping.envName;
      const here = `spec.secretRefs[${i}].env[${j}]`;
      if (reserved.includes(name)) {
        const from = RESERVED_ENV_SOURCE[name as ReservedEnv];
        out.push(
          issue(
            'reserved-env',
            at,
            `"${name}" is set by the platform from ${from}; choose another name`,
          ),
        );
      } else if (seen.has(name)) {
        out.push(issue('duplicate', at, `"${name}" is already set by ${String(seen.get(name))}`));
      } else {
        seen.set(name, here);
      }
    });
  });
  return out;
}

function bulkMounts(spec: Raw): Issue[] {
  const out: Issue[] = [];
  const seen = new Map<string, string>();
  const note = (name: unknown, at: Segment[], where: string) => {
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, where);
    else
      out.push(
        issue('duplicate', at, `secret "${name}" is already mounted with envFrom by ${first}`),
      );
  };
  for (const slot of SECRET_SLOTS) note(spec[slot], ['spec', slot], `spec.${slot}`);
  list(spec.secretRefs).forEach((ref, i) => {
    if (isObject(ref) && ref.envFrom === true) {
      note(ref.name, ['spec', 'secretRefs', i, 'name'], `spec.secretRefs[${i}]`);
    }
  });
  return out;
}

function pullSecrets(spec: Raw): Issue[] {
  const seen = new Set<string>();
  return list(spec.imagePullSecrets).flatMap((s, i) => {
    if (!isObject(s) || typeof s.name !== 'string') return [];
    if (!seen.has(s.name)) {
      seen.add(s.name);
      return [];
    }
    return [
      issue(
        'duplicate',
        ['spec', 'imagePullSecrets', i, 'name'],
        `"${s.name}" is listed more than once`,
      ),
    ];
  });
}

export function semanticIssues(doc: unknown): Issue[] {
  if (!isObject(doc) || !isObject(doc.spec)) return [];
  const spec = doc.spec;
  return [
    ...scalingBounds(spec),
    ...secretRefsMountSomething(spec),
    ...envNames(spec),
    ...bulkMounts(spec),
    ...pullSecrets(spec),
    ...podAnnotationIssues(spec),
    ...serviceMonitorIssues(spec),
  ];
}
