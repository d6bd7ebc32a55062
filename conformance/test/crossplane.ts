/**
 * Drives the real Crossplane CLI (`crossplane composition render`, `crossplane resource
 * validate`) against our generated packages and our function, served by `eds function serve`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { freePort } from '../../packages/worker/test/harness/ports.js';
import { REPO_ROOT, tool, upstreamDir, VERSIONS } from './upstream.js';

export type Obj = Record<string, unknown>;
export type Target = 'v2' | 'legacy';
export const TARGETS: readonly Target[] = ['v2', 'legacy'];

const EDS = join(REPO_ROOT, 'packages/cli/bin/eds.js');

/** The example claims the README and docs point at. */
export const EXAMPLE_CLAIMS = readdirSync(join(REPO_ROOT, 'examples'))
  .filter((f) => f.endsWith('-claim.yaml'))
  .sort();

export const PACKAGE = {
  v2: {
    xrd: 'package/configuration/xrd.yaml',
    composition: 'package/configuration/composition.yaml',
  },
  legacy: { xrd: 'package/legacy/xrd.yaml', composition: 'package/legacy/composition.yaml' },
} as const satisfies Record<Target, { xrd: string; composition: string }>;

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to completion (bounded by `timeoutMs`); never throws for a non-zero exit. */
export function run(file: string, args: readonly string[], timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: REPO_ROOT, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(new Error(`${file} ${args.join(' ')}: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

export function parseYaml(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((d): d is Obj => typeof d === 'object' && d !== null);
}

export const readYaml = (path: string): Obj[] =>
  parseYaml(readFileSync(join(REPO_ROOT, path), 'utf8'));

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `eds-conformance-${prefix}-`));
}

/** `eds function serve --insecure` on a free loopback port, as the preview docs run it. */
export class FunctionServer {
  private constructor(
    readonly address: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(address?: string): Promise<FunctionServer> {
    const addr = address ?? `127.0.0.1:${await freePort()}`;
    const child = spawn(
      process.execPath,
      [EDS, 'function', 'serve', '--insecure', '--address', addr],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    await listening(child, 'function listening', `eds function serve --address ${addr}`);
    return new FunctionServer(addr, child);
  }

  async stop(): Promise<void> {
    await stop(this.child);
  }
}

/** Resolves once `child` prints `marker` on stdout; rejects if it exits or takes 30 s. */
export function listening(child: ChildProcess, marker: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      reject(new Error(`${what} did not print "${marker}" within 30 s:\n${out}${err}`));
    }, 30_000);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes(marker)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-4000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready:\n${out}${err}`));
    });
  });
}

export function stop(child: ChildProcess, group = false): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    else child.kill('SIGTERM');
  });
}

/** A Function object whose Development runtime points the renderer at `address`. */
export function functionsYaml(address: string): string {
  return stringify({
    apiVersion: 'pkg.crossplane.io/v1',
    kind: 'Function',
    metadata: {
      name: 'function-eds',
      annotations: {
        'render.crossplane.io/runtime': 'Development',
        'render.crossplane.io/runtime-development-target': address,
      },
    },
    spec: { package: 'ghcr.io/bizmatters/function-eds:v0.1.0' },
  });
}

/**
 * The XR Crossplane reconciles for a claim: v2, the namespaced XR itself; legacy, the
 * cluster-scoped `XEventDrivenService` with the claim labels and reference Crossplane's claim
 * controller sets. The same XRs the function's own tests send.
 */
export { xrFor } from '../../packages/function/test/requests.js';

export interface Rendered {
  /** The XR as Crossplane's renderer left it (full, with status). */
  readonly xr: Obj;
  /** Composed resources, keyed by `crossplane.io/composition-resource-name`. */
  readonly composed: Readonly<Record<string, Obj>>;
  /** Function results and events (`-r`). */
  readonly results: readonly Obj[];
}

export const RESOURCE_NAME_ANNOTATION = 'crossplane.io/composition-resource-name';

export interface RenderOptions {
  readonly functions: string;
  /** Observed composed resources, one object per entry. */
  readonly observed?: readonly Obj[];
  /** Required resources (the pods the function asks for). */
  readonly required?: readonly Obj[];
}

/** `crossplane composition render XR COMPOSITION FUNCTIONS` with core as `--crossplane-binary`. */
export async function compositionRender(
  xr: Obj,
  target: Target,
  options: RenderOptions,
): Promise<Rendered> {
  const dir = tempDir('render');
  writeFileSync(join(dir, 'xr.yaml'), stringify(xr));
  const args = [
    'composition',
    'render',
    join(dir, 'xr.yaml'),
    PACKAGE[target].composition,
    options.functions,
    '--xrd',
    PACKAGE[target].xrd,
    '--crossplane-binary',
    tool('crossplane-core'),
    '--include-full-xr',
    '--include-function-results',
  ];
  if (options.observed !== undefined) {
    const observedDir = join(dir, 'observed');
    mkdirSync(observedDir);
    options.observed.forEach((o, i) => {
      writeFileSync(join(observedDir, `${i}.yaml`), stringify(o));
    });
    args.push('--observed-resources', observedDir);
  }
  if (options.required !== undefined) {
    writeFileSync(
      join(dir, 'required.yaml'),
      options.required.map((o) => stringify(o)).join('---\n'),
    );
    args.push('--required-resources', join(dir, 'required.yaml'));
  }
  const r = await run(tool('crossplane'), args);
  if (r.code !== 0) {
    throw new Error(`crossplane ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  }
  const docs = parseYaml(r.stdout);
  const [first, ...rest] = docs;
  if (first === undefined || first['kind'] !== xr['kind']) {
    throw new Error(
      `crossplane composition render printed no ${String(xr['kind'])} first:\n${r.stdout}`,
    );
  }
  const composed: Record<string, Obj> = {};
  const results: Obj[] = [];
  for (const d of rest) {
    if (d['apiVersion'] === 'render.crossplane.io/v1beta1') {
      results.push(d);
      continue;
    }
    const name = annotations(d)[RESOURCE_NAME_ANNOTATION];
    if (name === undefined)
      throw new Error(`a composed resource has no ${RESOURCE_NAME_ANNOTATION}: ${stringify(d)}`);
    composed[name] = d;
  }
  return { xr: first, composed, results };
}

export function annotations(o: Obj): Record<string, string> {
  const meta = o['metadata'] as { annotations?: Record<string, string> } | undefined;
  return meta?.annotations ?? {};
}

/** What `eds render CLAIM --target T -o json` prints: its List's items. */
export async function edsRender(claimPath: string, target: Target): Promise<Obj[]> {
  const r = await run(process.execPath, [
    EDS,
    'render',
    claimPath,
    '--target',
    target,
    '-o',
    'json',
  ]);
  if (r.code !== 0)
    throw new Error(`eds render ${claimPath} --target ${target} exited ${r.code}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { items: Obj[] }).items;
}

/**
 * A cache directory for `crossplane resource validate` that holds Crossplane's own CRDs at the
 * pinned core version, so the CLI finds the built-in schemas it would otherwise download from
 * xpkg.crossplane.io; returned with the `--crossplane-image` that names that entry.
 */
export function validateCache(): { dir: string; image: string } {
  const dir = tempDir('validate-cache');
  const image = `xpkg.crossplane.io/crossplane/crossplane:${VERSIONS.crossplane}`;
  const entry = join(dir, image.replace(':', '@'));
  mkdirSync(entry, { recursive: true });
  const crds = join(upstreamDir('CROSSPLANE_DIR'), 'cluster/crds');
  for (const f of readdirSync(crds).filter((n) => n.endsWith('.yaml'))) {
    symlinkSync(join(crds, f), join(entry, f));
  }
  return { dir, image };
}
