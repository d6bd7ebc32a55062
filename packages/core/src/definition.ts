/** The API definition itself and the generated files derived from it. */
export { ClaimSchema, FunctionInputSchema, SpecSchema } from './api/schema.js';
export {
  claimJsonSchema,
  functionInputJsonSchema,
  INPUT_SCHEMA_ID,
  plain,
  SCHEMA_ID,
} from './api/json-schema.js';
export { generatedFiles, type GeneratedFiles } from './generate/files.js';
