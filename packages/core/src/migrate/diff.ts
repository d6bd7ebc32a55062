/**
 * Field-by-field comparison of one object from the manifests with the object the platform
 * renders. Every field of the manifests ends up in exactly one row; rows of a subtree that
 * share a verdict and a reason are folded into one row for the subtree.
 */
import { align, type SideRoles } from './align.js';
import { classify, sameReason } from './classify.js';
import { defaultValue } from './defaults.js';
import type { Facts, ServiceFacts } from './facts.js';
import { isObject } from './manifests.js';
import { own } from './own.js';
import { sameDuration } from './duration.js';
import { sameQuantity } from './quantity.js';
import { childPath, itemPath, type Shape } from './shape.js';
import type { Verdict } from './types.js';

export interface Row {
  readonly verdict: Verdict;
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly reason: string;
}

export interface Sides<T> {
  readonly before: T;
  readonly after: T;
}

export interface DiffInput {
  readonly kind: string;
  readonly objects: Sides<Record<string, unknown>>;
  readonly roles: Sides<SideRoles>;
  /** Named ports of each side's worker container, to compare `port: http` with `8080`. */
  readonly ports: Sides<ReadonlyMap<string, number>>;
  readonly service: ServiceFacts;
}

interface Place {
  readonly shape: Shape;
  readonly path: string;
  readonly parents: Sides<unknown>;
  /** Index in `shape` of the first node the manifests lack. */
  readonly missingFrom?: number;
}

const nonEmptyObject = (v: unknown): v is Record<string, unknown> =>
  isObject(v) && Object.keys(v).length > 0;
const objectList = (v: unknown): v is unknown[] => Array.isArray(v) && v.some(isObject);

export function deepEqual(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (Array.isArray(x) || Array.isArray(y)) {
    return (
      Array.isArray(x) &&
      Array.isArray(y) &&
      x.length === y.length &&
      x.every((v, i) => deepEqual(v, y[i]))
    );
  }
  if (!isObject(x) || !isObject(y)) return false;
  const keys = Object.keys(x);
  return (
    keys.length === Object.keys(y).length &&
    keys.every((k) => Object.hasOwn(y, k) && deepEqual(x[k], y[k]))
  );
}

const PORT_REFS = new Set(['httpGet', 'tcpSocket', 'grpc']);

function equalAt(input: DiffInput, shape: Shape, x: unknown, y: unknown): boolean {
  const last = shape.at(-1);
  if (shape.includes('resources')) return sameQuantity(x, y);
  // NACK reads ackWait as a Go duration: 30s, 0.5m and 30000ms are one wait.
  if (input.kind === 'Consumer' && last === 'ackWait' && shape.length === 2) {
    return sameDuration(x, y);
  }
  const named =
    (last === 'port' && PORT_REFS.has(shape.at(-2) ?? '')) ||
    (input.kind === 'Service' && last === 'targetPort');
  if (named) {
    const resolve = (v: unknown, ports: ReadonlyMap<string, number>) =>
      typeof v === 'string' ? (ports.get(v) ?? v) : v;
    return resolve(x, input.ports.before) === resolve(y, input.ports.after);
  }
  return deepEqual(x, y);
}

function facts(input: DiffInput, place: Place, before: unknown, after: unknown): Facts {
  return {
    kind: input.kind,
    shape: place.shape,
    before,
    after,
    ...(place.missingFrom === undefined ? {} : { missingFrom: place.missingFrom }),
    service: input.service,
  };
}

function leaf(input: DiffInput, place: Place, b: unknown, a: unknown): Row[] {
  const { kind } = input;
  const { shape } = place;
  const bv = b === undefined ? defaultValue(kind, shape, place.parents.before) : b;
  const av = a === undefined ? defaultValue(kind, shape, place.parents.after) : a;
  const f = facts(input, place, b, a);
  const values = {
    ...(b === undefined ? {} : { before: b }),
    ...(a === undefined ? {} : { after: a }),
  };
  if (bv !== undefined && av !== undefined && equalAt(input, shape, bv, av)) {
    // A field the platform adds with the value the API server would give it anyway is no change.
    if (b === undefined) return [];
    return [
      { verdict: 'same', path: place.path, ...values, reason: sameReason(f, a === undefined) },
    ];
  }
  return [{ path: place.path, ...values, ...classify(f) }];
}

function child(place: Place, key: string, b: unknown, a: unknown): Place {
  const bv = own(b, key);
  return {
    shape: [...place.shape, key],
    path: childPath(place.path, key),
    parents: { before: b, after: a },
    ...(place.missingFrom !== undefined
      ? { missingFrom: place.missingFrom }
      : bv === undefined
        ? { missingFrom: place.shape.length }
        : {}),
  };
}

/** Label maps are read as a whole: a changed map shows both maps in one row. */
const LABEL_MAPS = new Set(['labels', 'matchLabels', 'selector']);

/**
 * Rows of a subtree that all agree become one row for the subtree. In a label map, keys that
 * stay the same fold into the row of the keys that change, when those agree.
 */
function fold(place: Place, b: unknown, a: unknown, rows: Row[]): Row[] {
  if (rows.length < 2 || place.shape.length === 0) return rows;
  const changed = LABEL_MAPS.has(place.shape.at(-1) ?? '')
    ? rows.filter((r) => r.verdict !== 'same')
    : rows;
  const first = changed[0] ?? rows[0];
  if (first === undefined) return rows;
  if (!changed.every((r) => r.verdict === first.verdict && r.reason === first.reason)) return rows;
  return [
    {
      verdict: first.verdict,
      path: place.path,
      ...(b === undefined ? {} : { before: b }),
      ...(a === undefined ? {} : { after: a }),
      reason: first.reason,
    },
  ];
}

function walkList(input: DiffInput, place: Place, b: unknown[], a: unknown[]): Row[] {
  return align(place.shape, b, a, input.roles).flatMap((pair) => {
    const id = pair.before?.id ?? pair.after?.id;
    if (id === undefined) return [];
    const here: Place = {
      shape: [...place.shape, id.segment],
      path: itemPath(place.path, id.label),
      parents: { before: b, after: a },
      ...(place.missingFrom !== undefined
        ? { missingFrom: place.missingFrom }
        : pair.before === undefined
          ? { missingFrom: place.shape.length }
          : {}),
    };
    const bi = pair.before?.item;
    const ai = pair.after?.item;
    if (pair.before !== undefined && pair.after !== undefined) return walk(input, here, bi, ai);
    // An item on one side only is one unit: a sidecar, an extra port, a plain env var.
    const values = {
      ...(bi === undefined ? {} : { before: bi }),
      ...(ai === undefined ? {} : { after: ai }),
    };
    return [{ path: here.path, ...values, ...classify(facts(input, here, bi, ai)) }];
  });
}

function walk(input: DiffInput, place: Place, b: unknown, a: unknown): Row[] {
  const bObject = nonEmptyObject(b);
  const aObject = nonEmptyObject(a);
  if ((bObject || b === undefined) && (aObject || a === undefined) && (bObject || aObject)) {
    const keys = [...Object.keys(bObject ? b : {})];
    for (const k of Object.keys(aObject ? a : {})) if (!keys.includes(k)) keys.push(k);
    const rows = keys.flatMap((k) => walk(input, child(place, k, b, a), own(b, k), own(a, k)));
    return fold(place, b, a, rows);
  }
  const bList = objectList(b);
  const aList = objectList(a);
  if (
    (bList || aList) &&
    (Array.isArray(b) || b === undefined) &&
    (Array.isArray(a) || a === undefined)
  ) {
    return fold(place, b, a, walkList(input, place, b ?? [], a ?? []));
  }
  return leaf(input, place, b, a);
}

/** Every difference between the manifests' object and the platform's. */
export function diffObject(input: DiffInput): Row[] {
  const root: Place = { shape: [], path: '', parents: { before: undefined, after: undefined } };
  return walk(input, root, input.objects.before, input.objects.after);
}
