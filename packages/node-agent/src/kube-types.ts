/**
 * The Kubernetes types the agent reads, as plain structural types of the JSON on the wire
 * (timestamps are strings). `@kubernetes/client-node` models every kind as a class with `Date`
 * fields; watch events arrive as plain JSON, and the agent turns listed objects into the same
 * (`toWire`), so the pure code sees one shape, which tests build as object literals.
 */
import type * as k8s from '@kubernetes/client-node';

/** `T`'s data fields, all the way down, with timestamps as strings. */
export type Plain<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Plain<U>[]
    : T extends object
      ? { [K in keyof T]: Plain<T[K]> }
      : T;

export type Pod = Plain<k8s.V1Pod>;
export type PodCondition = Plain<k8s.V1PodCondition>;
export type Container = Plain<k8s.V1Container>;
export type Probe = Plain<k8s.V1Probe>;
export type Volume = Plain<k8s.V1Volume>;
export type KeyToPath = Plain<k8s.V1KeyToPath>;
export type DownwardAPIVolumeFile = Plain<k8s.V1DownwardAPIVolumeFile>;
export type ResourceFieldSelector = Plain<k8s.V1ResourceFieldSelector>;
export type LifecycleHandler = Plain<k8s.V1LifecycleHandler>;

/** A client-node object as its JSON (timestamps as RFC 3339 strings). */
export function toWire<T>(value: T): Plain<T> {
  return JSON.parse(JSON.stringify(value)) as Plain<T>;
}
