/**
 * What each of a pod's volumes holds, planned from the pod and the objects it names; the agent
 * writes the plan under the pod's directory (`materialize.ts`). Supported: `secret`,
 * `configMap`, `emptyDir` (a directory; `medium: Memory` too), `hostPath` (the path itself),
 * `downwardAPI`, and `projected` with secret, configMap, downwardAPI and serviceAccountToken
 * sources (the token the agent requested for the pod: `service-account.ts`). Messages are the
 * kubelet's.
 */
import { posix } from 'node:path';
import type { KeyToPath, Pod, Volume, DownwardAPIVolumeFile } from './kube-types.js';
import { fieldRefValue, resourceFieldValue, type Placement } from './fields.js';
import { notFound, type ObjectKind, type Objects } from './objects.js';
import { noTokens, type Tokens } from './service-account.js';

/** File mode of a volume file without `mode` or `defaultMode` (pkg/apis/core/v1 defaults). */
export const DEFAULT_FILE_MODE = 0o644;

export interface VolumeFile {
  /** Relative to the volume's directory. */
  readonly path: string;
  readonly content: Buffer;
  readonly mode: number;
}

export type VolumePlan =
  | { readonly name: string; readonly kind: 'files'; readonly files: readonly VolumeFile[] }
  | { readonly name: string; readonly kind: 'emptyDir' }
  | { readonly name: string; readonly kind: 'hostPath'; readonly path: string };

export type PlanResult =
  | { readonly ok: true; readonly volumes: readonly VolumePlan[] }
  | { readonly ok: false; readonly message: string };

class MountError extends Error {}

/** A relative path that stays inside the volume directory. */
function safePath(path: string): string {
  const normal = posix.normalize(path);
  if (path === '' || posix.isAbsolute(path) || normal === '..' || normal.startsWith('../')) {
    throw new MountError(
      `invalid path ${JSON.stringify(path)}: must be relative and may not contain '..'`,
    );
  }
  return normal;
}

function objectFiles(
  kind: ObjectKind,
  name: string,
  items: readonly KeyToPath[] | undefined,
  optional: boolean,
  mode: number,
  objects: Objects,
): VolumeFile[] {
  const data = objects(kind, name);
  if (data === undefined) {
    if (optional) return [];
    throw new MountError(notFound(kind, name));
  }
  const all = new Map<string, Buffer>([
    ...Object.entries(data.strings).map(([k, v]) => [k, Buffer.from(v, 'utf8')] as const),
    ...Object.entries(data.bytes),
  ]);
  if (items === undefined || items.length === 0) {
    return [...all].map(([key, content]) => ({ path: safePath(key), content, mode }));
  }
  const files: VolumeFile[] = [];
  for (const item of items) {
    const content = all.get(item.key);
    if (content === undefined) {
      if (optional) continue;
      throw new MountError(
        kind === 'Secret'
          ? `references non-existent secret key: ${item.key}`
          : `configmap references non-existent config key: ${item.key}`,
      );
    }
    files.push({ path: safePath(item.path), content, mode: item.mode ?? mode });
  }
  return files;
}

function downwardFiles(
  pod: Pod,
  items: readonly DownwardAPIVolumeFile[],
  mode: number,
  placement: Placement,
): VolumeFile[] {
  return items.map((item) => {
    const container = (pod.spec?.containers ?? []).find(
      (c) => c.name === item.resourceFieldRef?.containerName,
    );
    const r =
      item.fieldRef !== undefined
        ? fieldRefValue(pod, item.fieldRef.fieldPath, placement)
        : item.resourceFieldRef !== undefined && container !== undefined
          ? resourceFieldValue(container, item.resourceFieldRef, placement)
          : {
              ok: false as const,
              message: `downwardAPI item ${JSON.stringify(item.path)} has no source the agent supports`,
            };
    if (!r.ok) throw new MountError(r.message);
    return {
      path: safePath(item.path),
      content: Buffer.from(r.value, 'utf8'),
      mode: item.mode ?? mode,
    };
  });
}

function tokenFile(tokens: Tokens, volume: string, path: string, mode: number): VolumeFile {
  const r = tokens(volume, path);
  if (r === undefined) throw new MountError(`failed to fetch token: no token was requested`);
  if ('error' in r) throw new MountError(`failed to fetch token: ${r.error}`);
  return { path: safePath(path), content: Buffer.from(r.token, 'utf8'), mode };
}

function plan(
  pod: Pod,
  v: Volume,
  objects: Objects,
  placement: Placement,
  tokens: Tokens,
): VolumePlan {
  const { name } = v;
  if (v.emptyDir !== undefined) return { name, kind: 'emptyDir' };
  if (v.hostPath !== undefined) return { name, kind: 'hostPath', path: v.hostPath.path };
  if (v.secret !== undefined) {
    const s = v.secret;
    const mode = s.defaultMode ?? DEFAULT_FILE_MODE;
    return {
      name,
      kind: 'files',
      files: objectFiles('Secret', s.secretName ?? '', s.items, s.optional === true, mode, objects),
    };
  }
  if (v.configMap !== undefined) {
    const c = v.configMap;
    const mode = c.defaultMode ?? DEFAULT_FILE_MODE;
    return {
      name,
      kind: 'files',
      files: objectFiles('ConfigMap', c.name ?? '', c.items, c.optional === true, mode, objects),
    };
  }
  if (v.downwardAPI !== undefined) {
    const mode = v.downwardAPI.defaultMode ?? DEFAULT_FILE_MODE;
    return {
      name,
      kind: 'files',
      files: downwardFiles(pod, v.downwardAPI.items ?? [], mode, placement),
    };
  }
  if (v.projected !== undefined) {
    const mode = v.projected.defaultMode ?? DEFAULT_FILE_MODE;
    const files = (v.projected.sources ?? []).flatMap((s) => {
      if (s.secret !== undefined) {
        return objectFiles(
          'Secret',
          s.secret.name ?? '',
          s.secret.items,
          s.secret.optional === true,
          mode,
          objects,
        );
      }
      if (s.configMap !== undefined) {
        return objectFiles(
          'ConfigMap',
          s.configMap.name ?? '',
          s.configMap.items,
          s.configMap.optional === true,
          mode,
          objects,
        );
      }
      if (s.downwardAPI !== undefined)
        return downwardFiles(pod, s.downwardAPI.items ?? [], mode, placement);
      if (s.serviceAccountToken !== undefined)
        return [tokenFile(tokens, name, s.serviceAccountToken.path, mode)];
      return []; // clusterTrustBundle, podCertificate: not supported, skipped
    });
    return { name, kind: 'files', files };
  }
  throw new MountError(
    'the node agent supports only secret, configMap, emptyDir, hostPath, downwardAPI and projected volumes',
  );
}

/** Every volume's plan, or the first failure as the kubelet's FailedMount message. */
export function planVolumes(
  pod: Pod,
  objects: Objects,
  placement: Placement,
  tokens: Tokens = noTokens,
): PlanResult {
  const volumes: VolumePlan[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    try {
      volumes.push(plan(pod, v, objects, placement, tokens));
    } catch (err) {
      if (!(err instanceof MountError)) throw err;
      return {
        ok: false,
        message: `MountVolume.SetUp failed for volume "${v.name}" : ${err.message}`,
      };
    }
  }
  return { ok: true, volumes };
}
