/**
 * Secrets as the claim expresses them: whole Secrets (`envFrom`) into the five slots, then into
 * `secretRefs` with `envFrom: true`; single keys (`secretKeyRef`) into `secretRefs[].env`. The
 * order is kept, so the platform renders the lists in the order the manifests wrote them.
 */
import { envName as envNameRule } from '../api/rules.js';
import { RESERVED_ENV, SECRET_SLOTS, type SecretSlot } from '../api/constants.js';
import type { SecretRef } from '../api/schema.js';
import { isObject } from './manifests.js';

export interface ClaimSecrets {
  readonly slots: Partial<Record<SecretSlot, string>>;
  readonly secretRefs: readonly SecretRef[];
}

const ENV_NAME = new RegExp(envNameRule.pattern);
const reserved: readonly string[] = RESERVED_ENV;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Names of the Secrets mounted whole, without a prefix (a prefix renames every key). */
export function bulkSecrets(container: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const item of list(container.envFrom)) {
    if (!isObject(item) || item.prefix !== undefined || !isObject(item.secretRef)) continue;
    const name = item.secretRef.name;
    if (typeof name === 'string' && !names.includes(name)) names.push(name);
  }
  return names;
}

export interface KeyRef {
  readonly envName: string;
  readonly secret: string;
  readonly key: string;
}

/** `env` entries that take one key of a Secret, under a name the claim can express. */
export function keyRefs(container: Record<string, unknown>): KeyRef[] {
  const out: KeyRef[] = [];
  const seen = new Set<string>();
  for (const item of list(container.env)) {
    if (!isObject(item) || typeof item.name !== 'string') continue;
    const name = item.name;
    const first = !seen.has(name);
    seen.add(name);
    const ref = isObject(item.valueFrom) ? item.valueFrom.secretKeyRef : undefined;
    if (!first || !isObject(ref) || item.value !== undefined) continue;
    if (!ENV_NAME.test(name) || reserved.includes(name)) continue;
    if (typeof ref.name === 'string' && typeof ref.key === 'string') {
      out.push({ envName: name, secret: ref.name, key: ref.key });
    }
  }
  return out;
}

export function claimSecrets(container: Record<string, unknown>): ClaimSecrets {
  const bulk = bulkSecrets(container);
  const slots: Partial<Record<SecretSlot, string>> = {};
  SECRET_SLOTS.forEach((slot, i) => {
    const name = bulk[i];
    if (name !== undefined) slots[slot] = name;
  });
  // Consecutive keys of the same Secret share an entry; a Secret that comes back later gets
  // another, so the rendered env list keeps the manifests' order.
  const runs: { name: string; env: { secretKey: string; envName: string }[] }[] = [];
  for (const ref of keyRefs(container)) {
    const last = runs.at(-1);
    const mapping = { secretKey: ref.key, envName: ref.envName };
    if (last?.name === ref.secret) last.env.push(mapping);
    else runs.push({ name: ref.secret, env: [mapping] });
  }
  const extra = bulk.slice(SECRET_SLOTS.length).map((name) => ({ name, envFrom: true }));
  return { slots, secretRefs: [...runs, ...extra] };
}
