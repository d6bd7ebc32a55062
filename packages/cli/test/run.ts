import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/eds.js', import.meta.url));

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Standard input for `eds`: text, or a file (or device) to read from. */
export type Stdin = string | { readonly path: string };

/**
 * Runs the built `eds` command (npm test builds it first), from the repository root by default.
 * Killed after `timeoutMs` (20 s), so a regression that hangs fails its test instead of the suite.
 */
export function eds(
  args: readonly string[],
  stdin: Stdin = '',
  cwd = ROOT,
  timeoutMs = 20_000,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const fromFile = typeof stdin !== 'string';
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      stdio: [fromFile ? openSync(stdin.path, 'r') : 'pipe', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
    if (!fromFile) child.stdin?.end(stdin);
  });
}

/** A Node stack frame in output means an exception escaped to the user. */
export const STACK_FRAME = /^\s+at .+\(.+:\d+:\d+\)$/m;
