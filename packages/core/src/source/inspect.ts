/**
 * One pass over a parsed document's nodes for what the parser does not report: keys that appear
 * twice in one mapping, and unquoted scalars whose type depends on the YAML version.
 */
import { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';
import type { Segment } from '../api/issues.js';
import { versionDependent } from './scalars.js';

export interface Finding {
  readonly offset: number;
  /** The JSON path of the node (for a key, of the field it names). */
  readonly at: readonly Segment[];
  /** The scalar as written. */
  readonly source: string;
}

export interface Inspection {
  /** The second and later of equal keys in a mapping. */
  readonly duplicates: readonly Finding[];
  /** Unquoted, untagged scalars that kubectl and YAML 1.2 tools read differently. */
  readonly versionDependent: readonly Finding[];
}

interface Path {
  readonly segment: Segment;
  readonly parent: Path | undefined;
}

const segments = (path: Path | undefined): Segment[] => {
  const out: Segment[] = [];
  for (let p = path; p !== undefined; p = p.parent) out.push(p.segment);
  return out.reverse();
};

const keyOf = (node: unknown): unknown => (isScalar(node) ? node.value : node);

/**
 * Linear in the nodes: one set of keys per mapping (the `yaml` package's own duplicate check
 * compares each key with every earlier one: 80,000 keys took minutes). Aliases are not
 * followed: what they point at is inspected where it is written.
 */
export function inspect(doc: Document): Inspection {
  const duplicates: Finding[] = [];
  const dependent: Finding[] = [];
  const check = (node: unknown, path: Path | undefined) => {
    if (
      isScalar(node) &&
      node.type === 'PLAIN' &&
      node.tag === undefined &&
      typeof node.source === 'string' &&
      versionDependent(node.source)
    ) {
      dependent.push({ offset: node.range?.[0] ?? 0, at: segments(path), source: node.source });
    }
  };
  const stack: { node: unknown; path: Path | undefined }[] = [
    { node: doc.contents, path: undefined },
  ];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { node, path } = next;
    if (isAlias(node)) continue;
    check(node, path);
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const p of node.items) {
        const key = String(keyOf(p.key));
        const keyPath: Path = {
          segment: isScalar(p.key) && typeof p.key.source === 'string' ? p.key.source : key,
          parent: path,
        };
        if (seen.has(key)) {
          duplicates.push({
            offset: (p.key as { range?: number[] } | null)?.range?.[0] ?? 0,
            at: segments(keyPath),
            source: key,
          });
        }
        seen.add(key);
        check(p.key, keyPath);
        if (!isScalar(p.key)) stack.push({ node: p.key, path: keyPath });
        stack.push({ node: p.value, path: { segment: key, parent: path } });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) =>
        stack.push({ node: item, path: { segment: i, parent: path } }),
      );
    }
  }
  const byOffset = (a: Finding, b: Finding) => a.offset - b.offset;
  return { duplicates: duplicates.sort(byOffset), versionDependent: dependent.sort(byOffset) };
}
