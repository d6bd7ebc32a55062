/** The function's input, set per Composition: which target to compose for. */
import { validateFunctionInput, type FunctionOptions } from '@eds/core';
import { listProblems } from './problems.js';

export type { FunctionOptions };

export type DecodedInput =
  | { readonly ok: true; readonly options: FunctionOptions }
  | { readonly ok: false; readonly message: string };

/**
 * Core's schema and messages (`validateFunctionInput`), listed as `eds validate` lists a
 * claim's problems. No input means the v2 target; unknown fields and wrong values are errors.
 */
export function decodeInput(input: unknown): DecodedInput {
  const validation = validateFunctionInput(input);
  return validation.ok
    ? validation
    : { ok: false, message: listProblems('invalid function input:', validation.issues) };
}
