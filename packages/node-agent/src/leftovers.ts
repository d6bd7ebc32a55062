/**
 * Processes an earlier run of the agent left behind (it was killed before it could stop them):
 * each container's pid and start time is recorded in `<pod dir>/pids/<container>`, and a new
 * run kills what still runs in those process groups before it starts anything.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupMembers, processStartTicks } from './process.js';

export function recordPid(podDir: string, container: string, pid: number): void {
  const dir = join(podDir, 'pids');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, container), `${pid} ${processStartTicks(pid) ?? 0}\n`, { mode: 0o600 });
}

export function forgetPid(podDir: string, container: string): void {
  rmSync(join(podDir, 'pids', container), { force: true });
}

/** Kills every recorded process group's members that started no earlier than recorded; returns the pids killed. */
export function killLeftovers(podsDir: string): number[] {
  const killed: number[] = [];
  let pods: string[];
  try {
    pods = readdirSync(podsDir);
  } catch {
    return killed;
  }
  for (const pod of pods) {
    const dir = join(podsDir, pod, 'pids');
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    for (const file of files) {
      const [pid = 0, ticks = 0] = readFileSync(join(dir, file), 'utf8')
        .trim()
        .split(' ')
        .map(Number);
      if (pid > 1) {
        for (const member of groupMembers(pid, ticks)) {
          try {
            process.kill(member, 'SIGKILL');
            killed.push(member);
          } catch {
            // gone already
          }
        }
      }
      rmSync(join(dir, file), { force: true });
    }
  }
  return killed;
}
