/**
 * Container processes: each one in its own session and process group (so a signal reaches
 * every process the container started, as a container's PID namespace would), its stdout and
 * stderr appended to a log file it writes directly, its pid and start time recorded in the
 * pod's directory so an agent that was killed can clean up after itself.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
} from 'node:fs';
import { constants } from 'node:os';

export interface Exit {
  readonly code: number | null;
  /** The number of the signal that ended the process, if one did. */
  readonly signal: number | undefined;
  readonly finishedAt: Date;
  /** The process could not be started (`error.message`): the kubelet's StartError. */
  readonly startError?: string;
}

export interface Spawned {
  readonly pid: number | undefined;
  readonly startedAt: Date;
  readonly exited: Promise<Exit>;
}

export interface SpawnOptions {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly logFile: string;
}

const signalNumber = (name: NodeJS.Signals | null) =>
  name === null ? undefined : (constants.signals as Record<string, number | undefined>)[name];

/** Starts the program; a failure to start (no such file) resolves `exited` with `startError`. */
export function spawnProcess(options: SpawnOptions): Spawned {
  const [file = '', ...args] = options.argv;
  const fd = openSync(options.logFile, 'a', 0o600);
  const startedAt = new Date();
  try {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    const exited = new Promise<Exit>((resolve) => {
      child.once('error', (err) => {
        if (child.pid === undefined)
          resolve({
            code: 128,
            signal: undefined,
            finishedAt: new Date(),
            startError: err.message,
          });
      });
      child.once('exit', (code, signal) => {
        // The container is gone when its main process is: nothing it started outlives it.
        if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
        resolve({ code, signal: signalNumber(signal), finishedAt: new Date() });
      });
    });
    return { pid: child.pid, startedAt, exited };
  } finally {
    closeSync(fd);
  }
}

/** Signals the process group `pid` leads; false when it no longer exists. */
export function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** The process's start time in clock ticks since boot (/proc/PID/stat field 22), if it runs. */
export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** Processes whose process group is `pgid`, and that started no earlier than `sinceTicks`. */
export function groupMembers(pgid: number, sinceTicks: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && Number(fields[19]) >= sinceTicks)
        members.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return members;
}

/**
 * Keeps a log file under `maxBytes`: past it, the file becomes `<file>.1` (replacing the one
 * before) and is emptied. The process appends, so it goes on writing at the new end. Lines
 * written between the copy and the truncation are lost.
 */
export function capLog(file: string, maxBytes: number): boolean {
  try {
    if (statSync(file).size <= maxBytes) return false;
    copyFileSync(file, `${file}.1`);
    truncateSync(file, 0);
    return true;
  } catch {
    return false;
  }
}
