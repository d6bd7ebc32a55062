/**
 * Where the conformance suite finds the upstream programs `conformance/build.sh` built, the
 * module directories of the upstream data it reads (CRDs), and the pinned versions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONFORMANCE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO_ROOT = dirname(CONFORMANCE_DIR);
export const BIN = process.env['EDS_CONFORMANCE_BIN'] ?? join(CONFORMANCE_DIR, '.bin');

/** `KEY=value` lines; `#` comments and blank lines ignored. */
export function readEnvFile(path: string): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2];
  }
  return out;
}

function required(env: Readonly<Record<string, string>>, key: string, file: string): string {
  const value = env[key];
  if (value === undefined || value === '') throw new Error(`${file} has no ${key}`);
  return value;
}

const versionsFile = join(CONFORMANCE_DIR, 'versions.env');
const versionsEnv = readEnvFile(versionsFile);
const version = (key: string) => required(versionsEnv, key, versionsFile);

/** The pinned upstream versions (conformance/versions.env). */
export const VERSIONS = {
  crossplaneCli: version('CROSSPLANE_CLI_VERSION'),
  crossplane: version('CROSSPLANE_VERSION'),
  crossplaneRuntime: version('CROSSPLANE_RUNTIME_VERSION'),
  keda: version('KEDA_VERSION'),
  providerKubernetes: version('PROVIDER_KUBERNETES_VERSION'),
  prometheusOperator: version('PROMETHEUS_OPERATOR_VERSION'),
  nack: version('NACK_VERSION'),
  kubernetes: version('KUBERNETES_VERSION'),
} as const;

const NOT_BUILT = 'run `npm run conformance` (or `bash conformance/build.sh`) to build it';

/** Absolute path of a program build.sh put in BIN; throws with the fix if it is missing. */
export function tool(
  name: 'crossplane' | 'crossplane-core' | 'keda-scaler' | 'kube-check',
): string {
  const path = join(BIN, name);
  if (!existsSync(path)) throw new Error(`conformance: ${path} is missing; ${NOT_BUILT}`);
  return path;
}

let dirs: Readonly<Record<string, string>> | undefined;

/** Module directories (in Go's module cache) of the upstream projects whose CRDs we read. */
export function upstreamDir(
  key:
    | 'CROSSPLANE_DIR'
    | 'KEDA_DIR'
    | 'PROVIDER_KUBERNETES_DIR'
    | 'NACK_DIR'
    | 'PROMETHEUS_OPERATOR_DIR',
): string {
  const file = join(BIN, 'upstream.env');
  if (!existsSync(file)) throw new Error(`conformance: ${file} is missing; ${NOT_BUILT}`);
  dirs ??= readEnvFile(file);
  return required(dirs, key, file);
}
