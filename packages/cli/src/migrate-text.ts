/** The migration report for people: what is lost (and how to keep it), what changes, what stays. */
import type {
  Difference,
  MigrationProblem,
  MigrationReport,
  Origin,
  ServiceMigration,
  Verdict,
} from '@eds/core';
import { printableLines } from './terminal.js';

export interface LineCounts {
  /** Non-blank, non-comment lines of the input manifests. */
  readonly manifests: number;
  readonly files: number;
  /** Non-blank, non-comment lines of the claims. */
  readonly claims: number;
}

const MAX_VALUE = 72;

function show(value: unknown): string {
  if (value === undefined) return '(not set)';
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

export function where(origin: Origin): string {
  const item = origin.item === undefined ? '' : ` items[${origin.item}]`;
  return origin.document === 0 && origin.item === undefined
    ? origin.file
    : `${origin.file} (document ${origin.document + 1}${item})`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const HEADINGS: readonly [Verdict, string, string][] = [
  ['lost', 'Lost: the claim cannot express these (each says how to keep it)', '!'],
  ['policy', 'Changed by platform policy', '~'],
  ['same', 'Same', '='],
];

function field(d: Difference): string {
  const path = d.path === '' ? '(whole object)' : d.path;
  return `${d.kind}/${d.name} ${path}`;
}

function section(verdict: Verdict, title: string, mark: string, s: ServiceMigration): string[] {
  const rows = s.differences.filter((d) => d.verdict === verdict);
  if (rows.length === 0) return [];
  const lines = [`  ${title} (${rows.length}):`];
  for (const d of rows) {
    if (verdict === 'same') {
      lines.push(`    ${mark} ${field(d)}  [${d.reason}]`);
    } else {
      lines.push(`    ${mark} ${field(d)}: ${show(d.before)} → ${show(d.after)}`);
      lines.push(`        ${d.reason}`);
    }
  }
  return [...lines, ''];
}

function service(s: ServiceMigration): string[] {
  const c = s.counts;
  const ns = s.namespace === undefined ? '' : ` in namespace ${s.namespace}`;
  const lines = [
    `Service ${s.name}${ns}`,
    ...s.sources.map((src) => {
      const ignored =
        src.ignored.length === 0
          ? ''
          : `; ignored ${plural(src.ignored.length, 'server-set field')}`;
      return `  from ${src.kind}/${src.name} in ${where(src.origin)}${ignored}`;
    }),
    `  ${c.same + c.policy + c.lost} compared: ${c.same} same, ${c.policy} changed by platform policy, ${c.lost} lost`,
    '',
  ];
  if (s.warnings.length > 0) {
    lines.push('  Warnings:', ...s.warnings.map((w) => `    - ${w}`), '');
  }
  if (s.assumptions.length > 0) {
    lines.push('  Assumed (the manifests do not say):');
    for (const a of s.assumptions) lines.push(`    ? ${a.field} = ${show(a.value)}: ${a.reason}`);
    lines.push('');
  }
  for (const [verdict, title, mark] of HEADINGS) lines.push(...section(verdict, title, mark, s));
  return lines;
}

export function formatMigrationText(report: MigrationReport, counts: LineCounts): string {
  const lines: string[] = [];
  for (const s of report.services) lines.push(...service(s));
  if (report.leftovers.length > 0) {
    lines.push(`Other objects, not part of any claim (${report.leftovers.length}):`);
    for (const l of report.leftovers) {
      lines.push(`  ! ${l.kind}/${l.name} in ${where(l.origin)}`, `      ${l.reason}`);
    }
    lines.push('');
  }
  const services = report.services.length;
  lines.push(
    `${plural(services, 'service')}: ${plural(counts.manifests, 'line')} of manifests in ${plural(counts.files, 'file')} → ${plural(counts.claims, 'line')} of claim${services === 1 ? '' : 's'}`,
    report.lost === 0
      ? 'Nothing is lost.'
      : `${plural(report.lost, 'thing')} would be lost; see "Lost" above for how to keep each.`,
  );
  return printableLines(lines);
}

export function formatProblemsText(problems: readonly MigrationProblem[]): string {
  return printableLines(
    problems.map((p) => {
      const at =
        p.line === undefined
          ? p.document === undefined || p.document === 0
            ? p.file
            : `${p.file} (document ${p.document + 1})`
          : `${p.file}:${p.line}:${p.column ?? 1}`;
      return `eds: ${at}: ${p.message}`;
    }),
  );
}
