/** The versions users read in the docs are the ones the suite pins (conformance/versions.env). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, VERSIONS } from './upstream.js';

const doc = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const minor = (v: string) => v.replace(/^v(\d+\.\d+)\..*$/, '$1');

describe('documented versions', () => {
  it('the compatibility table in docs/conformance.md lists every pin', () => {
    const table = doc('docs/conformance.md');
    const rows: [string, string][] = [
      ['Crossplane CLI', VERSIONS.crossplaneCli],
      [
        'Crossplane core',
        `${VERSIONS.crossplane} (crossplane-runtime ${VERSIONS.crossplaneRuntime})`,
      ],
      ['KEDA', VERSIONS.keda],
      ['provider-kubernetes', VERSIONS.providerKubernetes],
      ['prometheus-operator', VERSIONS.prometheusOperator],
      ['NACK', VERSIONS.nack],
      [
        'Kubernetes',
        `${minor(VERSIONS.kubernetes)} (libraries v0.${VERSIONS.kubernetes.replace(/^v1\./, '')})`,
      ],
    ];
    for (const [component, version] of rows) {
      expect(table, component).toMatch(
        new RegExp(`^\\| ${component} +\\| ${version.replace(/[.()]/g, '\\$&')} +\\|`, 'm'),
      );
    }
  });

  it('docs/crossplane.md names the same releases', () => {
    const text = doc('docs/crossplane.md').replace(/\s+/g, ' ');
    expect(text).toContain(
      `proven against Crossplane ${VERSIONS.crossplane}, KEDA ${VERSIONS.keda}, provider-kubernetes ${VERSIONS.providerKubernetes} and Kubernetes ${minor(VERSIONS.kubernetes)}`,
    );
  });
});
