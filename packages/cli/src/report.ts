/** Renders validation problems for people (text), programs (json) and GitHub Actions (github). */
import { formatIssue, type LocatedIssue } from '@eds/core';
import { printable, printableJson, printableLines } from './terminal.js';

export const FORMATS = ['text', 'json', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface Problem extends LocatedIssue {
  readonly file: string;
  /** 0-based index of the YAML document in the file. */
  readonly document: number;
}

export interface Summary {
  readonly files: number;
  readonly claims: number;
  readonly valid: number;
  readonly skipped: number;
}

function where(p: Problem): string {
  return p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
}

/** `file:line:col  path  message`; the function lists problems with the same `formatIssue`. */
export function problemLine(p: Problem): string {
  return `${where(p)}  ${formatIssue(p)}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(s: Summary, problems: number): string {
  const invalid = s.claims - s.valid;
  const parts = [
    `${plural(s.claims, 'claim')} in ${plural(s.files, 'file')}: ${s.valid} valid`,
    ...(invalid > 0 || problems > 0 ? [`${invalid} invalid (${plural(problems, 'problem')})`] : []),
  ];
  const skipped = s.skipped > 0 ? `; ${plural(s.skipped, 'other document')} skipped` : '';
  return `${parts.join(', ')}${skipped}`;
}

/** GitHub workflow command escaping: data and property values differ. */
export const escapeData = (s: string) =>
  s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
export const escapeProperty = (s: string) =>
  escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');

/** One `::error` workflow command; every part from input is made printable, then escaped. */
export function githubLine(p: Problem): string {
  const props = [
    `file=${escapeProperty(printable(p.file))}`,
    ...(p.line === undefined ? [] : [`line=${p.line}`, `col=${p.column ?? 1}`]),
    `title=${escapeProperty(printable(p.path === '' ? 'EventDrivenService' : p.path))}`,
  ];
  return `::error ${props.join(',')}::${escapeData(printable(p.message))}`;
}

/** Problems found: a `too-many` issue stands for those it did not list. */
const problemCount = (problems: readonly Problem[]): number =>
  problems.reduce((n, p) => n + (p.code === 'too-many' ? (p.unlisted ?? 0) : 1), 0);

export function formatReport(
  format: Format,
  problems: readonly Problem[],
  summary: Summary,
): string {
  switch (format) {
    case 'json':
      return printableJson({
        ...summary,
        problems: problems.map((p) => ({
          file: p.file,
          document: p.document,
          line: p.line ?? null,
          column: p.column ?? null,
          path: p.path,
          code: p.code,
          message: p.message,
        })),
      });
    case 'github':
      return [
        ...problems.map((p) => `${githubLine(p)}\n`),
        printableLines([summaryLine(summary, problemCount(problems))]),
      ].join('');
    case 'text':
      return printableLines([
        ...problems.map(problemLine),
        summaryLine(summary, problemCount(problems)),
      ]);
  }
}
