/**
 * Writes a pod's volume plan under its directory: `<pod dir>/volumes/<volume>`, files with
 * their modes, emptyDirs as empty directories (kept across container restarts, as the kubelet
 * keeps them for the pod's life). A hostPath volume is the host path itself.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { VolumePlan } from './volumes.js';

export function volumeDir(podDir: string, volume: string): string {
  return join(podDir, 'volumes', volume);
}

/** The directory each volume is at, after writing the plan. */
export function materialize(podDir: string, plans: readonly VolumePlan[]): Map<string, string> {
  const dirs = new Map<string, string>();
  for (const plan of plans) {
    if (plan.kind === 'hostPath') {
      dirs.set(plan.name, plan.path);
      continue;
    }
    const dir = volumeDir(podDir, plan.name);
    if (plan.kind === 'emptyDir') {
      mkdirSync(dir, { recursive: true, mode: 0o777 });
    } else {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      for (const file of plan.files) {
        const path = join(dir, file.path);
        mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
        writeFileSync(path, file.content, { mode: file.mode });
        chmodSync(path, file.mode);
      }
    }
    dirs.set(plan.name, dir);
  }
  return dirs;
}
