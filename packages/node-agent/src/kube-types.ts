/**
 * The Kubernetes types the agent reads, as plain structural types. `@kubernetes/client-node`
 * models every kind as a class; its values (from the informer) fit these, and so do the object
 * literals tests and pure code build, without pretending to be class instances.
 */
import type * as k8s from '@kubernetes/client-node';

/** `T`'s data fields, all the way down. */
export type Plain<T> = T extends Date
  ? Date
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
