/** The function's input, set per Composition: which target to compose for. */
import { DEFAULT_PROVIDER_CONFIG, TARGETS, type Target } from '@eds/core';
import { isObj } from './object.js';

export interface FunctionOptions {
  readonly target: Target;
  readonly providerConfigName: string;
}

export type DecodedInput =
  | { readonly ok: true; readonly options: FunctionOptions }
  | { readonly ok: false; readonly message: string };

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** No input means the v2 target. Unknown fields and wrong values are errors, not guesses. */
export function decodeInput(input: unknown): DecodedInput {
  if (input === undefined || input === null) {
    return { ok: true, options: { target: 'v2', providerConfigName: DEFAULT_PROVIDER_CONFIG } };
  }
  if (!isObj(input)) return { ok: false, message: 'function input must be an object' };
  const known = new Set(['apiVersion', 'kind', 'target', 'providerConfigName']);
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `function input: unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')}; known fields are target, providerConfigName`,
    };
  }
  const target = input.target ?? 'v2';
  if (typeof target !== 'string' || !(TARGETS as readonly string[]).includes(target)) {
    return {
      ok: false,
      message: `function input: target ${JSON.stringify(target)} is not one of ${TARGETS.join(', ')}`,
    };
  }
  const config = input.providerConfigName ?? DEFAULT_PROVIDER_CONFIG;
  if (typeof config !== 'string' || !NAME.test(config)) {
    return {
      ok: false,
      message: `function input: providerConfigName ${JSON.stringify(config)} is not a valid object name`,
    };
  }
  return { ok: true, options: { target: target as Target, providerConfigName: config } };
}
