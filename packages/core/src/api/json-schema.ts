import { ClaimSchema, FunctionInputSchema } from './schema.js';

export const SCHEMA_ID = 'https://platform.bizmatters.io/schemas/eventdrivenservice.schema.json';
export const INPUT_SCHEMA_ID = 'https://platform.bizmatters.io/schemas/function-input.schema.json';

/** Plain JSON copy of a TypeBox schema (drops TypeBox's symbol-keyed metadata). */
export function plain<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema)) as T;
}

/**
 * The published JSON Schema (draft-07, the default of ajv and of the YAML language server):
 * only standard keywords, so `ajv validate` in strict mode and editors accept it unchanged.
 */
export function claimJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    ...plain(ClaimSchema),
  };
}

/** The function input's JSON Schema, built the same way (the function validates with it). */
export function functionInputJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: INPUT_SCHEMA_ID,
    ...plain(FunctionInputSchema),
  };
}
