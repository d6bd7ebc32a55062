/** `spec.metrics.serviceMonitor`: its rules, exact messages, defaults and warnings. */
import { validateClaim } from '@eds/core';
import { describe, expect, it } from 'vitest';
import { claimWithSpec } from '../helpers.js';

const metrics = (serviceMonitor: unknown) => claimWithSpec({ metrics: { serviceMonitor } });
const problems = (doc: unknown) => {
  const result = validateClaim(doc);
  return result.ok ? [] : result.issues.map((i) => `${i.path}  ${i.message}`);
};
const at = 'spec.metrics.serviceMonitor';
const DURATION =
  'it must be a Prometheus duration such as "30s", "1m" or "1m30s": whole numbers with the units y, w, d, h, m, s and ms, largest first, no spaces';

describe('spec.metrics.serviceMonitor rules', () => {
  it.each([
    ['every unit, largest first', '1y2w3d4h5m6s7ms'],
    ['seconds', '30s'],
    ['minutes and seconds', '1m30s'],
    ['zero, which prometheus-operator accepts too', '0'],
  ])('accepts an interval: %s', (_, interval) => {
    expect(problems(metrics({ enabled: true, interval }))).toEqual([]);
  });

  it.each([
    ['a space', '30 s', `"30 s" is not valid: ${DURATION}`],
    ['units out of order', '30s1m', `"30s1m" is not valid: ${DURATION}`],
    ['a fraction', '1.5m', `"1.5m" is not valid: ${DURATION}`],
    ['Go\'s "µs"', '10µs', `"10µs" is not valid: ${DURATION}`],
    ['no unit', '30', `"30" is not valid: ${DURATION}`],
    ['empty (leave it out instead)', '', 'must not be empty'],
  ])('refuses an interval with %s', (_, interval, message) => {
    expect(problems(metrics({ enabled: true, interval }))).toEqual([`${at}.interval  ${message}`]);
  });

  it('refuses a number for the interval, suggesting the unit', () => {
    expect(problems(metrics({ enabled: true, interval: 30 }))).toEqual([
      `${at}.interval  30 must be a string, not an integer; a Prometheus duration is a string with its unit, e.g. "30s"`,
    ]);
  });

  it('accepts labels a Prometheus selects on, prefixed keys and empty values', () => {
    expect(
      problems(
        metrics({
          enabled: true,
          labels: { release: 'kube-prometheus-stack', 'example.com/Team_A': 'Ops.1', empty: '' },
        }),
      ),
    ).toEqual([]);
  });

  it('refuses label keys and values Kubernetes refuses, each at its key', () => {
    expect(
      problems(
        metrics({
          enabled: true,
          labels: {
            'Example.com/a': 'x',
            'a/b/c': 'x',
            team: 'a b',
            long: 'v'.repeat(64),
            release: true,
          },
        }),
      ),
    ).toEqual([
      `${at}.labels.release  true must be a string, not a boolean; label values are strings, so quote it: "true"`,
      `${at}.labels["Example.com/a"]  is not a valid label key: the prefix "Example.com" must be a DNS subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters (e.g. "release")`,
      `${at}.labels["a/b/c"]  is not a valid label key: it has more than one "/"; a key is a name, optionally after a DNS subdomain prefix and "/" (e.g. "release")`,
      `${at}.labels.team  "a b" is not a valid label value: it must be empty or letters, digits, "-", "_" and ".", starting and ending with a letter or digit, at most 63 characters (e.g. "kube-prometheus-stack")`,
      `${at}.labels.long  "${'v'.repeat(56)}... is not a valid label value: it is 64 characters long; the limit is 63`,
    ]);
  });

  it.each([
    'app.kubernetes.io/name',
    'app.kubernetes.io/component',
    'app.kubernetes.io/managed-by',
    'app.kubernetes.io/version',
  ])('refuses the platform label %s', (key) => {
    expect(problems(metrics({ enabled: true, labels: { [key]: 'x' } }))).toEqual([
      `${at}.labels["${key}"]  is set by the platform on every object it renders (app.kubernetes.io/name, app.kubernetes.io/component, app.kubernetes.io/managed-by, app.kubernetes.io/version), and the ServiceMonitor carries it already; choose another key, e.g. "release" for a Prometheus whose serviceMonitorSelector selects release: kube-prometheus-stack`,
    ]);
  });

  it('refuses a switch that is not a boolean and an unknown field by name', () => {
    expect(problems(metrics({ enabled: 'yes', intervl: '30s' }))).toEqual([
      `${at}.intervl  is not a field of serviceMonitor; did you mean "interval"?`,
      `${at}.enabled  "yes" must be a boolean, not a string`,
    ]);
  });
});

describe('spec.metrics.serviceMonitor defaults and warnings', () => {
  const resolved = (doc: unknown) => {
    const result = validateClaim(doc);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return {
      metrics: result.claim.spec.metrics,
      warnings: result.warnings.map((w) => `${w.path}  ${w.message}`),
    };
  };

  it('is off, with no labels, when the claim does not mention metrics', () => {
    expect(resolved(claimWithSpec({}))).toEqual({
      metrics: { serviceMonitor: { enabled: false, labels: {} } },
      warnings: [],
    });
    expect(resolved(claimWithSpec({ metrics: {} })).metrics).toEqual({
      serviceMonitor: { enabled: false, labels: {} },
    });
  });

  it('keeps the interval and labels as written when enabled', () => {
    expect(
      resolved(metrics({ enabled: true, interval: '15s', labels: { release: 'prom' } })),
    ).toEqual({
      metrics: { serviceMonitor: { enabled: true, interval: '15s', labels: { release: 'prom' } } },
      warnings: [],
    });
  });

  it('warns that interval and labels do nothing while no ServiceMonitor is composed', () => {
    expect(resolved(metrics({ interval: '15s', labels: { release: 'prom' } })).warnings).toEqual([
      `${at}.interval  has no effect: no ServiceMonitor is composed because enabled is not set (default false); set spec.metrics.serviceMonitor.enabled: true, or remove interval`,
      `${at}.labels  has no effect: no ServiceMonitor is composed because enabled is not set (default false); set spec.metrics.serviceMonitor.enabled: true, or remove labels`,
    ]);
    expect(resolved(metrics({ enabled: false, interval: '15s' })).warnings).toEqual([
      `${at}.interval  has no effect: no ServiceMonitor is composed because enabled is false; set spec.metrics.serviceMonitor.enabled: true, or remove interval`,
    ]);
  });
});
