/** The ServiceMonitor is opt-in: a claim that does not enable it renders what it always did. */
import { forTarget, render, toYamlStream, validateClaim } from '@eds/core';
import { describe, expect, it } from 'vitest';
import { claimWithSpec } from '../helpers.js';

function yaml(doc: unknown, target: 'v2' | 'legacy'): string {
  const v = validateClaim(doc);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return toYamlStream(forTarget(render(v.claim, v.claim.spec), { target }).map((r) => r.object));
}

describe.each(['v2', 'legacy'] as const)('target %s', (target) => {
  it('renders byte for byte the same without metrics, with metrics: {} and with enabled: false', () => {
    const before = yaml(claimWithSpec({}), target);
    expect(yaml(claimWithSpec({ metrics: {} }), target)).toBe(before);
    expect(yaml(claimWithSpec({ metrics: { serviceMonitor: {} } }), target)).toBe(before);
    const off = { serviceMonitor: { enabled: false, interval: '1m', labels: { release: 'p' } } };
    expect(yaml(claimWithSpec({ metrics: off }), target)).toBe(before);
  });

  it('adds the ServiceMonitor as the last document, and changes nothing else', () => {
    const before = yaml(claimWithSpec({}), target);
    const after = yaml(claimWithSpec({ metrics: { serviceMonitor: { enabled: true } } }), target);
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toMatch(/^---\n[\s\S]*kind: ServiceMonitor\n/);
  });
});
