// Copies a YAML file of expected objects for a chainsaw assert, with every string value that
// chainsaw would read as an expression escaped, so it is compared as the literal it is:
//   node chainsaw-literal.mjs IN OUT
// Chainsaw (kyverno-json's expression parser) takes a value wrapped in "(...)" for a JMESPath
// expression, a trailing "-> name" for a binding and a leading "~name." for a foreach; a value
// wrapped in "\...\" is a literal. Our legacy golden files hold such values: the Deployment
// Object's readiness CEL query starts with "(" and ends with ")".
import { readFileSync, writeFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) {
  process.stderr.write('usage: chainsaw-literal.mjs IN OUT\n');
  process.exit(2);
}

const special = (s) =>
  /^\(.*\)$/s.test(s) || /^~\w*\./.test(s) || /->\s*\w+$/.test(s) || /^\\.*\\$/s.test(s);

function escape(value) {
  if (typeof value === 'string') return special(value) ? `\\${value}\\` : value;
  if (Array.isArray(value)) return value.map(escape);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escape(v)]));
  return value;
}

try {
  const docs = parseAllDocuments(readFileSync(input, 'utf8')).map((d) => escape(d.toJS()));
  writeFileSync(output, docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n'));
} catch (err) {
  process.stderr.write(`chainsaw-literal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
