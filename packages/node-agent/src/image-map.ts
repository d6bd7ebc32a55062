/**
 * The image map: which local program stands in for each container image. A YAML (or JSON)
 * mapping from an image reference to an entry:
 *
 * ```yaml
 * ghcr.io/example/server:1.0:        # exact reference
 *   entrypoint: [node, /srv/server.js] # the image's ENTRYPOINT
 *   cmd: [--verbose]                   # the image's CMD
 *   workingDir: /srv                   # optional
 *   env: { NODE_ENV: production }      # optional: the image's ENV
 *   portEnv: PORT                      # optional: see `ImageEntry.portEnv`
 * ghcr.io/example/worker:             # a repository without tag: any tag or digest of it
 *   entrypoint: [node, /srv/worker.js]
 * ```
 */
import { parse } from 'yaml';

export interface ImageEntry {
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly workingDir?: string;
  readonly env: Readonly<Record<string, string>>;
  /**
   * Env var(s) through which the agent hands the container a free loopback port, since pods
   * share the host network: a name (for the container's first declared port), or a mapping
   * from a declared port's name or number to a name. Probes aimed at that port go to it.
   */
  readonly portEnv: Readonly<Record<string, string>>;
}

export type ImageMap = ReadonlyMap<string, ImageEntry>;

/** A problem with the file: where (`"image".field`) and what is wrong. */
export interface ImageMapProblem {
  readonly path: string;
  readonly message: string;
}

export type ImageMapResult =
  | { readonly ok: true; readonly map: ImageMap }
  | { readonly ok: false; readonly problems: readonly ImageMapProblem[] };

/** The first port declared by a container: the key a plain `portEnv` name stands for. */
export const FIRST_PORT = '';

const FIELDS = new Set(['entrypoint', 'cmd', 'workingDir', 'env', 'portEnv']);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function stringRecord(v: unknown): v is Record<string, string> {
  return isRecord(v) && Object.values(v).every((s) => typeof s === 'string');
}

function entry(at: string, raw: unknown, problems: ImageMapProblem[]): ImageEntry | undefined {
  if (!isRecord(raw)) {
    problems.push({ path: at, message: 'must be a mapping with entrypoint and optionally cmd' });
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(raw)) {
    if (!FIELDS.has(key)) {
      const known = [...FIELDS].join(', ');
      problems.push({ path: `${at}.${key}`, message: `unknown field; the fields are ${known}` });
    }
  }
  const { entrypoint = [], cmd = [], workingDir, env = {}, portEnv = {} } = raw;
  if (!strings(entrypoint)) {
    problems.push({ path: `${at}.entrypoint`, message: 'must be a list of strings' });
  }
  if (!strings(cmd)) problems.push({ path: `${at}.cmd`, message: 'must be a list of strings' });
  if (strings(entrypoint) && strings(cmd) && entrypoint.length + cmd.length === 0) {
    problems.push({ path: at, message: 'needs an entrypoint or a cmd: the program to run' });
  }
  if (workingDir !== undefined && typeof workingDir !== 'string') {
    problems.push({ path: `${at}.workingDir`, message: 'must be a string' });
  }
  if (!stringRecord(env)) {
    problems.push({ path: `${at}.env`, message: 'must be a mapping from names to strings' });
  }
  const ports = typeof portEnv === 'string' ? { [FIRST_PORT]: portEnv } : portEnv;
  if (!stringRecord(ports)) {
    problems.push({
      path: `${at}.portEnv`,
      message: 'must be an env var name, or a mapping from port names or numbers to env var names',
    });
  }
  if (problems.length > before) return undefined;
  return {
    entrypoint: entrypoint as string[],
    cmd: cmd as string[],
    ...(workingDir === undefined ? {} : { workingDir: workingDir as string }),
    env: env as Record<string, string>,
    portEnv: ports as Record<string, string>,
  };
}

/** Decodes an image map file's text; problems name the image and the field. */
export function parseImageMap(text: string): ImageMapResult {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    return { ok: false, problems: [{ path: '', message: `not YAML: ${(err as Error).message}` }] };
  }
  doc ??= {};
  if (!isRecord(doc)) {
    return {
      ok: false,
      problems: [{ path: '', message: 'must be a mapping from image references to entries' }],
    };
  }
  const problems: ImageMapProblem[] = [];
  const map = new Map<string, ImageEntry>();
  for (const [image, raw] of Object.entries(doc)) {
    const e = entry(JSON.stringify(image), raw, problems);
    if (e !== undefined) map.set(image, e);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, map };
}

/** The problems as one message per line, each naming the file. */
export function formatImageMapProblems(file: string, problems: readonly ImageMapProblem[]): string {
  return problems
    .map((p) => `${file}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`)
    .join('\n');
}

/** `image` without its tag and digest: `ghcr.io/a/b:1@sha256:…` → `ghcr.io/a/b`. */
export function repository(image: string): string {
  const name = image.split('@')[0] ?? image;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

/** The entry for `image`: by exact reference, else by its repository. */
export function lookupImage(map: ImageMap, image: string): ImageEntry | undefined {
  return map.get(image) ?? map.get(repository(image));
}
