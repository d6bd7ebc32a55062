/** The API definition itself and the generated files derived from it. */
export { ClaimSchema, SpecSchema } from './api/schema.js';
export { claimJsonSchema, plain, SCHEMA_ID } from './api/json-schema.js';
export { generatedFiles, type GeneratedFiles } from './generate/files.js';
