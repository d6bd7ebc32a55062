import { existsSync, readFileSync } from 'node:fs';

export interface RecordLine {
  readonly event: 'start' | 'done' | 'fail';
  readonly id: string;
  readonly seq: number;
  readonly deliveries: number;
  readonly pid: number;
}

/** Lines the fixture handler wrote to `file` (none if it does not exist yet). */
export function readRecords(file: string): RecordLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as RecordLine);
}

/** How many times each id was processed to completion. */
export function doneCounts(records: readonly RecordLine[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) if (r.event === 'done') counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
  return counts;
}

/** Ids processed more than once, with their counts. */
export function duplicates(records: readonly RecordLine[]): Map<string, number> {
  return new Map([...doneCounts(records)].filter(([, n]) => n > 1));
}
