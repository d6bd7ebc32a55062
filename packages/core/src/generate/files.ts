/**
 * Every generated file of the repository, as path (relative to the repository root) → content.
 * `eds generate` writes them; `eds generate --check` and CI fail when a committed copy differs.
 */
import { claimJsonSchema, functionInputJsonSchema } from '../api/json-schema.js';
import { crossplanePackageFiles } from '../crossplane/package-files.js';
import { apiReference } from './reference.js';

export type GeneratedFiles = ReadonlyMap<string, string>;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function generatedFiles(): GeneratedFiles {
  return new Map([
    ['schemas/eventdrivenservice.schema.json', json(claimJsonSchema())],
    // The copy validation loads at run time (see api/structural.ts).
    ['packages/core/src/api/claim.schema.json', json(claimJsonSchema())],
    // The function input's, loaded the same way (see api/function-input.ts).
    ['packages/core/src/api/function-input.schema.json', json(functionInputJsonSchema())],
    ['docs/reference/api.md', apiReference()],
    ...crossplanePackageFiles(),
  ]);
}
