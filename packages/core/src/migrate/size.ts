/** Which `spec.size` preset a container's resources correspond to. */
import { SIZES, type Size } from '../api/constants.js';
import { SIZE_PRESETS } from '../render/sizes.js';
import { isObject } from './manifests.js';
import { parseQuantity } from './quantity.js';

const FIELDS = [
  ['requests', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'cpu'],
  ['limits', 'memory'],
] as const;

export interface SizeMatch {
  readonly size: Size;
  /** True when every stated value equals the preset (and at least one was stated). */
  readonly exact: boolean;
  /** The stated values that differ from the preset: `requests.cpu 400m → 500m`. */
  readonly changes: readonly string[];
  /** True when the container states no cpu or memory request or limit at all. */
  readonly none: boolean;
}

function stated(resources: unknown): { field: string; written: unknown; value: number }[] {
  if (!isObject(resources)) return [];
  return FIELDS.flatMap(([group, name]) => {
    const section = resources[group];
    const written = isObject(section) ? section[name] : undefined;
    const value = parseQuantity(written);
    return value === undefined || value <= 0 ? [] : [{ field: `${group}.${name}`, written, value }];
  });
}

function preset(size: Size, field: string): string {
  const [group, name] = field.split('.') as ['requests' | 'limits', 'cpu' | 'memory'];
  return SIZE_PRESETS[size][group][name];
}

/**
 * The preset closest to the stated values, measured as the sum of |log2(stated / preset)|,
 * so that being twice too large weighs the same as being half as large. Ties go to the
 * larger preset: running with more than before is the safer surprise.
 */
export function matchSize(resources: unknown, fallback: Size): SizeMatch {
  const values = stated(resources);
  if (values.length === 0) return { size: fallback, exact: false, changes: [], none: true };
  let best: { size: Size; distance: number } | undefined;
  for (const size of SIZES) {
    const distance = values.reduce(
      (sum, v) => sum + Math.abs(Math.log2(v.value / (parseQuantity(preset(size, v.field)) ?? 1))),
      0,
    );
    if (best === undefined || distance <= best.distance + 1e-12) best = { size, distance };
  }
  const size = best?.size ?? fallback;
  const changes = values
    .filter((v) => Math.abs(v.value - (parseQuantity(preset(size, v.field)) ?? 0)) > 1e-9 * v.value)
    .map((v) => `${v.field} ${String(v.written)} → ${preset(size, v.field)}`);
  return { size, exact: changes.length === 0, changes, none: false };
}
