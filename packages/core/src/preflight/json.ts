/**
 * Reading the servers' answers (the monitoring endpoint's JSON, the JetStream API's, the
 * Kubernetes API server's) as untrusted JSON: a field of the wrong type reads as absent.
 */
export type Obj = Record<string, unknown>;

export const isObject = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** The objects of an array; anything else is an empty list. */
export const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObject) : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
/** `v.a.b…`, or undefined where a step is not an object. */
export function at(v: unknown, ...path: readonly string[]): unknown {
  let here = v;
  for (const key of path) {
    if (!isObject(here)) return undefined;
    here = here[key];
  }
  return here;
}
