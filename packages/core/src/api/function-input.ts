/**
 * Decodes the composition function's input (a Composition pipeline step's `input`) against
 * its generated JSON Schema, with the same issues, and so the same messages, as a claim.
 * Pure; never throws.
 */
import { DEFAULT_PROVIDER_CONFIG, DEFAULT_TARGET, type Target } from '../crossplane/targets.js';
import inputSchema from './function-input.schema.json' with { type: 'json' };
import { notAMapping, type Issue } from './issues.js';
import { schemaIssues } from './structural.js';

export interface FunctionOptions {
  readonly target: Target;
  /** provider-kubernetes ProviderConfig of the legacy Objects. */
  readonly providerConfigName: string;
}

export type InputValidation =
  | { readonly ok: true; readonly options: FunctionOptions }
  | { readonly ok: false; readonly issues: readonly Issue[] };

const ROOT = 'the function input';

/** No input (`undefined` or `null`) means the defaults: the v2 target. */
export function validateFunctionInput(input: unknown): InputValidation {
  const doc = input ?? {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    return { ok: false, issues: [notAMapping(ROOT, doc)] };
  }
  const issues = schemaIssues(inputSchema, doc, ROOT);
  if (issues.length > 0) return { ok: false, issues };
  const { target, providerConfigName } = doc as Partial<FunctionOptions>;
  return {
    ok: true,
    options: {
      target: target ?? DEFAULT_TARGET,
      providerConfigName: providerConfigName ?? DEFAULT_PROVIDER_CONFIG,
    },
  };
}
