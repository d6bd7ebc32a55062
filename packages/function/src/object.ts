/** Reading untyped Kubernetes objects (protobuf Structs) without casts scattered everywhere. */
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at `path`, or undefined when any step is missing or not an object. */
export function get(o: unknown, ...path: string[]): unknown {
  let cur: unknown = o;
  for (const key of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Whether the object's `metadata.labels` include every one of `labels` with the same value. */
export function carriesLabels(o: unknown, labels: Readonly<Record<string, string>>): boolean {
  const own = get(o, 'metadata', 'labels');
  return Object.entries(labels).every(([k, v]) => get(own, k) === v);
}

export interface KubeCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

export function condition(o: unknown, type: string): KubeCondition | undefined {
  const found = list(get(o, 'status', 'conditions')).find((c) => isObj(c) && c.type === type) as
    Obj | undefined;
  if (found === undefined) return undefined;
  const reason = str(found.reason);
  const message = str(found.message);
  return {
    type,
    status: str(found.status) ?? 'Unknown',
    ...(reason === undefined ? {} : { reason }),
    ...(message === undefined ? {} : { message }),
  };
}
