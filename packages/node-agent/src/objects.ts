/**
 * The Secrets and ConfigMaps a pod refers to, fetched by the agent before each container start
 * and volume setup and handed to the pure code, which reads them synchronously.
 */
import type { Pod } from './kube-types.js';

export type ObjectKind = 'Secret' | 'ConfigMap';

/** A Secret's or ConfigMap's keys: ConfigMap `data` as strings, Secret `data` and ConfigMap `binaryData` as bytes. */
export interface ObjectData {
  readonly strings: Readonly<Record<string, string>>;
  readonly bytes: Readonly<Record<string, Buffer>>;
}

/** The objects fetched, by kind and name; undefined for one the API server does not have. */
export type Objects = (kind: ObjectKind, name: string) => ObjectData | undefined;

export interface ObjectRef {
  readonly kind: ObjectKind;
  readonly name: string;
}

/** Every Secret and ConfigMap the pod's env, envFrom and volumes name, once each. */
export function referencedObjects(pod: Pod): ObjectRef[] {
  const seen = new Map<string, ObjectRef>();
  const add = (kind: ObjectKind, name: string | undefined) => {
    if (name !== undefined && name !== '') seen.set(`${kind}/${name}`, { kind, name });
  };
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const c of containers) {
    for (const from of c.envFrom ?? []) {
      add('Secret', from.secretRef?.name);
      add('ConfigMap', from.configMapRef?.name);
    }
    for (const e of c.env ?? []) {
      add('Secret', e.valueFrom?.secretKeyRef?.name);
      add('ConfigMap', e.valueFrom?.configMapKeyRef?.name);
    }
  }
  for (const v of pod.spec?.volumes ?? []) {
    add('Secret', v.secret?.secretName);
    add('ConfigMap', v.configMap?.name);
    for (const s of v.projected?.sources ?? []) {
      add('Secret', s.secret?.name);
      add('ConfigMap', s.configMap?.name);
    }
  }
  return [...seen.values()];
}

/** The kubelet's not-found wording (its secret and configmap managers' group resources). */
export function notFound(kind: ObjectKind, name: string): string {
  return `${kind === 'Secret' ? 'secret' : 'configmap'} "${name}" not found`;
}
