/** What a classification rule knows about one difference. */
import type { Spec } from '../api/types.js';
import type { SpecInput } from '../api/schema.js';
import { itemKey, type Shape } from './shape.js';
import type { SizeMatch } from './size.js';
import type { Verdict } from './types.js';

export interface ServiceFacts {
  readonly name: string;
  readonly input: SpecInput;
  readonly spec: Spec;
  readonly size: SizeMatch;
}

export interface Facts {
  readonly kind: string;
  readonly shape: Shape;
  /** The manifests' value; `undefined` when they do not set it. */
  readonly before: unknown;
  /** The platform's value; `undefined` when it does not set it. */
  readonly after: unknown;
  /** Index in `shape` of the first node the manifests lack, if they lack this one. */
  readonly missingFrom?: number;
  readonly service: ServiceFacts;
}

export interface Rule {
  readonly at: string;
  readonly verdict: Verdict | ((f: Facts) => Verdict);
  readonly reason: string | ((f: Facts) => string);
}

/** True when the manifests lack the node named `segment` on the way to this field. */
export function lacks(f: Facts, segment: string): boolean {
  const i = f.shape.lastIndexOf(segment);
  return f.missingFrom !== undefined && i !== -1 && f.missingFrom <= i;
}

/** The key of the list item that follows `list` in the shape: `env [LOG_LEVEL]` → `LOG_LEVEL`. */
export function keyAfter(f: Facts, list: string): string {
  return itemKey(f.shape[f.shape.lastIndexOf(list) + 1]) ?? '?';
}

export const json = (v: unknown) => JSON.stringify(v);
