/**
 * A container's environment as the kubelet makes it (pkg/kubelet/kubelet_pods.go
 * `makeEnvironmentVariables`): `envFrom` first (with `prefix`), then `env` in order, each value
 * `$(VAR)`-expanded against the variables defined so far, or read from its `valueFrom` source.
 * Service links (`KUBERNETES_SERVICE_HOST` and friends) are not added: no Service routes here.
 */
import type { Container, Pod } from './kube-types.js';
import { expand } from './expand.js';
import { fieldRefValue, resourceFieldValue, type Placement } from './fields.js';
import { notFound, type ObjectData, type ObjectKind, type Objects } from './objects.js';

export type EnvResult =
  | { readonly ok: true; readonly env: Readonly<Record<string, string>> }
  /** `message` is the kubelet's, shown as the container's `CreateContainerConfigError`. */
  | { readonly ok: false; readonly message: string };

function value(kind: ObjectKind, data: ObjectData, key: string): string | undefined {
  return kind === 'Secret' ? data.bytes[key]?.toString('utf8') : data.strings[key];
}

function keys(kind: ObjectKind, data: ObjectData): string[] {
  return Object.keys(kind === 'Secret' ? data.bytes : data.strings);
}

export function resolveEnv(
  pod: Pod,
  container: Container,
  objects: Objects,
  placement: Placement,
): EnvResult {
  const namespace = pod.metadata?.namespace ?? '';
  const env = new Map<string, string>();
  const fail = (message: string): EnvResult => ({ ok: false, message });

  for (const from of container.envFrom ?? []) {
    const ref = from.secretRef ?? from.configMapRef;
    if (ref === undefined) continue;
    const kind: ObjectKind = from.secretRef !== undefined ? 'Secret' : 'ConfigMap';
    const data = objects(kind, ref.name ?? '');
    if (data === undefined) {
      if (ref.optional === true) continue;
      return fail(notFound(kind, ref.name ?? ''));
    }
    for (const key of keys(kind, data))
      env.set(`${from.prefix ?? ''}${key}`, value(kind, data, key) ?? '');
  }

  const lookup = (name: string) => env.get(name);
  for (const e of container.env ?? []) {
    const source = e.valueFrom;
    if (e.value !== undefined && e.value !== '') {
      env.set(e.name, expand(e.value, lookup));
    } else if (source?.fieldRef !== undefined) {
      const r = fieldRefValue(pod, source.fieldRef.fieldPath, placement);
      if (!r.ok) return fail(r.message);
      env.set(e.name, r.value);
    } else if (source?.resourceFieldRef !== undefined) {
      const r = resourceFieldValue(container, source.resourceFieldRef, placement);
      if (!r.ok) return fail(r.message);
      env.set(e.name, r.value);
    } else if (source?.secretKeyRef !== undefined || source?.configMapKeyRef !== undefined) {
      const kind: ObjectKind = source.secretKeyRef !== undefined ? 'Secret' : 'ConfigMap';
      const ref = source.secretKeyRef ?? source.configMapKeyRef;
      const name = ref?.name ?? '';
      const key = ref?.key ?? '';
      const optional = ref?.optional === true;
      const data = objects(kind, name);
      if (data === undefined) {
        if (optional) continue;
        return fail(notFound(kind, name));
      }
      const v = value(kind, data, key);
      if (v === undefined) {
        if (optional) continue;
        return fail(`couldn't find key ${key} in ${kind} ${namespace}/${name}`);
      }
      env.set(e.name, v);
    } else {
      env.set(e.name, '');
    }
  }
  return { ok: true, env: Object.fromEntries(env) };
}
