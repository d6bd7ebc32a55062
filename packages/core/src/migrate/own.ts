/**
 * Lookups by strings that come from manifests. A kind, name or key can be `constructor` or
 * `__proto__`; `object[key]` would then find Object.prototype's members. These read own
 * properties only; tables keyed by input are Maps.
 */
import { isObject } from './manifests.js';

/** `o[key]` if `o` is a mapping that has `key` itself, else `undefined`. */
export const own = (o: unknown, key: string): unknown =>
  isObject(o) && Object.hasOwn(o, key) ? o[key] : undefined;

/** The value at `path` below `o`, following own properties only. */
export const at = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => own(v, k), o);
