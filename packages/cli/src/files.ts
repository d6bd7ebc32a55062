/** Turns command-line paths into files to read; the only place the CLI touches the disk for input. */
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './errors.js';

const YAML_FILE = /\.ya?ml$/i;

export interface InputFile {
  /** As the user named it (or as found under a directory they named); `-` is stdin. */
  readonly name: string;
  readonly text: string;
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && !e.name.startsWith('.')) await walk(path, out);
    } else if (e.isFile() && YAML_FILE.test(e.name)) {
      out.push(path);
    }
  }
}

function ioError(path: string, cause: unknown): UsageError {
  const code = (cause as { code?: string }).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : (cause as Error).message;
  return new UsageError('io', `cannot read ${path}: ${reason}`, { cause });
}

/** Expands directories (recursively, `*.yaml` and `*.yml`) and keeps files as named. */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    if (path === '-') {
      out.push(path);
      continue;
    }
    try {
      if ((await stat(path)).isDirectory()) {
        const found: string[] = [];
        await walk(path, found);
        if (found.length === 0) {
          throw new UsageError('no-files', `no *.yaml or *.yml files under ${path}`);
        }
        out.push(...found);
      } else {
        out.push(path);
      }
    } catch (e) {
      throw e instanceof UsageError ? e : ioError(path, e);
    }
  }
  return out;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function readInput(name: string): Promise<InputFile> {
  try {
    // Synchronous on purpose: files are read one after another anyway, and readFileSync costs
    // a tenth of the promise version per small file (measured by bench/validate.mjs).
    return { name, text: name === '-' ? await readStdin() : readFileSync(name, 'utf8') };
  } catch (e) {
    throw ioError(name, e);
  }
}
