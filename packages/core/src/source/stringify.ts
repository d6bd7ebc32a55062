/**
 * Values as YAML that every reader reads back as the same values: kubectl (YAML 1.1 rules, through
 * go-yaml v2), YAML 1.2 tools and other YAML 1.1 readers. The `yaml` package quotes strings that
 * its own (1.2 core) schema would read as something else; this also quotes those that a 1.1
 * reader would (`on`, `NO`, `y`, `017`, `0o17`, `1e3`, `1:20`, `2024-01-01`), so that
 * `eds render | kubectl apply -f -` sends the strings eds rendered.
 */
import { Document, isScalar, visit } from 'yaml';
import { plainIsSafe } from './scalars.js';

/** One YAML document (no anchors for repeated values, no line folding, keys in their order). */
export function toSafeYaml(value: unknown): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && !plainIsSafe(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}
