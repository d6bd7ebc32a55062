/**
 * Mount paths, rewritten. A process has no mount namespace, so it cannot find a volume at the
 * container's `mountPath`; the agent materializes each volume in the pod's directory and
 * rewrites every env value, command or args element and workingDir that names a mount path
 * (equals it, or starts with it and `/`) to that directory. Values that merely contain one
 * (`--certs=/tls/server`) are left alone.
 */
import { posix } from 'node:path';
import type { Container } from './kube-types.js';

export interface Mount {
  /** The container's `mountPath`. */
  readonly mountPath: string;
  /** Where the volume (and `subPath`) is on this machine. */
  readonly dir: string;
}

/** The container's mounts, given each volume's directory; unknown volumes are left out. */
export function containerMounts(
  container: Container,
  volumeDir: (volume: string) => string,
): Mount[] {
  return (container.volumeMounts ?? []).map((m) => ({
    mountPath: m.mountPath,
    dir:
      m.subPath === undefined || m.subPath === ''
        ? volumeDir(m.name)
        : posix.join(volumeDir(m.name), m.subPath),
  }));
}

/** `value` with a leading mount path replaced by its directory; the longest mount path wins. */
export function rewritePath(value: string, mounts: readonly Mount[]): string {
  let best: Mount | undefined;
  let bestPath = '';
  for (const m of mounts) {
    const path = m.mountPath.length > 1 ? m.mountPath.replace(/\/+$/, '') : m.mountPath;
    const hit = value === path || value.startsWith(path === '/' ? '/' : `${path}/`);
    if (hit && path.length > bestPath.length) {
      best = m;
      bestPath = path;
    }
  }
  if (best === undefined) return value;
  const rest = bestPath === '/' ? value.slice(1) : value.slice(bestPath.length + 1);
  return rest === '' ? best.dir : `${best.dir}/${rest}`;
}
