/**
 * EDS_SHUTDOWN_TIMEOUT_MS is platform-owned (derived from spec.terminationGracePeriodSeconds):
 * a manifest that sets it loses nothing, whatever value it had.
 */
import { migrate, type Difference } from '@eds/core';
import { describe, expect, it } from 'vitest';
import { cases } from './cases.js';

const PATH = 'spec.template.spec.containers[name=mailer-worker].env[name=EDS_SHUTDOWN_TIMEOUT_MS]';

/** The no-scaledobject case's manifests with the variable set to `value`. */
function rowsFor(value: string): Difference[] {
  const base = cases().find((c) => c.name === 'no-scaledobject');
  if (base === undefined) throw new Error('golden case no-scaledobject is missing');
  const files = base.files.map((f) => ({
    name: f.name,
    text: f.text.replace(
      '          value: mailer-worker-workers\n',
      `          value: mailer-worker-workers\n        - name: EDS_SHUTDOWN_TIMEOUT_MS\n          value: "${value}"\n`,
    ),
  }));
  const result = migrate(files);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return (result.report.services[0]?.differences ?? []).filter((d) => d.path.startsWith(PATH));
}

const row = (field: string, verdict: string, before: string, after: string, reason: string) => ({
  kind: 'Deployment',
  name: 'mailer-worker',
  verdict,
  path: `${PATH}.${field}`,
  before,
  after,
  reason,
});

describe('migrate: EDS_SHUTDOWN_TIMEOUT_MS', () => {
  const carried = 'spec.terminationGracePeriodSeconds';
  const name = row('name', 'same', 'EDS_SHUTDOWN_TIMEOUT_MS', 'EDS_SHUTDOWN_TIMEOUT_MS', carried);

  it('is the same when it already matched the grace period (30 s → 27000)', () => {
    const entry = { name: 'EDS_SHUTDOWN_TIMEOUT_MS', value: '27000' };
    expect(rowsFor('27000')).toEqual([
      {
        kind: 'Deployment',
        name: 'mailer-worker',
        verdict: 'same',
        path: PATH,
        before: entry,
        after: entry,
        reason: carried,
      },
    ]);
  });

  it('is a platform policy, not a loss, when it had another value', () => {
    expect(rowsFor('50000')).toEqual([
      name,
      row(
        'value',
        'policy',
        '50000',
        '27000',
        'the platform sets EDS_SHUTDOWN_TIMEOUT_MS itself, from spec.terminationGracePeriodSeconds (the grace period less max(2 s, 10 %)), so the worker finishes its drain before SIGKILL',
      ),
    ]);
  });
});
