export { claimsToYaml, countLines } from './claim-yaml.js';
export { migrate } from './migrate.js';
export { parseGoDuration } from './duration.js';
export { parseQuantity, sameQuantity } from './quantity.js';
export type {
  Assumption,
  Difference,
  Leftover,
  ManifestFile,
  MigrationProblem,
  MigrationProblemCode,
  MigrationReport,
  MigrationResult,
  Origin,
  ServiceMigration,
  ServiceSource,
  Verdict,
} from './types.js';
