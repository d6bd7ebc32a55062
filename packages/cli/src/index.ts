export { program } from './program.js';
export { checkFile, type DocumentResult } from './claims.js';
export { formatReport, FORMATS, type Format, type Problem } from './report.js';
export { EXIT, UsageError } from './errors.js';
