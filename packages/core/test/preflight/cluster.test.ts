/**
 * clusterFindings on the answers an API server gives, shaped as the local cluster's (Crossplane
 * 2.3, KEDA 2.20, Kubernetes 1.35) and trimmed: the healthy set-up the cluster suite also checks
 * for real (cluster/suite/preflight), and the broken ones a shared cluster cannot be put in —
 * Crossplane or the platform missing, an unhealthy Function, KEDA's metrics API down, the legacy
 * target without provider-kubernetes, reads the context may not make.
 */
import {
  CLUSTER_CRDS,
  clusterFindings,
  functionNames,
  XRD_NAMES,
  type ClusterAnswers,
  type Finding,
  type Read,
} from '@eds/core';
import { describe, expect, it } from 'vitest';
import { ordersClaim } from './claims.js';

const claim = ordersClaim;

const found = (object: unknown): Read => ({ status: 'found', object });
const missing: Read = { status: 'missing' };
const conditions = (...c: [type: string, status: string, reason?: string, message?: string][]) => ({
  status: {
    conditions: c.map(([type, status, reason = 'Reason', message]) => ({
      type,
      status,
      reason,
      ...(message === undefined ? {} : { message }),
      lastTransitionTime: '2026-12-07T23:40:31Z',
    })),
  },
});
const established = found(conditions(['Established', 'True', 'InitialNamesAccepted']));
const composition = (kind: string, fn = 'function-eds') => ({
  metadata: { name: kind.toLowerCase() },
  spec: {
    compositeTypeRef: { apiVersion: 'platform.bizmatters.io/v1alpha1', kind },
    mode: 'Pipeline',
    pipeline: [{ step: 'render', functionRef: { name: fn } }],
  },
});

/** A cluster with the v2 platform, KEDA, NACK and the Prometheus Operator's CRD, all healthy. */
function healthy(over: Partial<ClusterAnswers> = {}): ClusterAnswers {
  return {
    where: 'context local (https://127.0.0.1:26443)',
    namespace: 'shop',
    namespaceObject: found({ metadata: { name: 'shop', labels: {} } }),
    secrets: {
      'orders-db': found({ type: 'Opaque', data: { endpoint: 'ZGI=', password: 'cHc=' } }),
      regcred: found({
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': 'e30=' },
      }),
    },
    crds: Object.fromEntries(Object.values(CLUSTER_CRDS).map((name) => [name, established])),
    xrds: {
      v2: found(conditions(['Established', 'True', 'WatchingCompositeResource'])),
      legacy: missing,
    },
    compositions: found({ items: [composition('EventDrivenService')] }),
    functions: {
      'function-eds': found(
        conditions(
          ['Healthy', 'True', 'HealthyPackageRevision'],
          ['Installed', 'True', 'ActivePackageRevision'],
        ),
      ),
    },
    externalMetrics: found({
      spec: { service: { name: 'keda-metrics-apiserver', namespace: 'keda', port: 443 } },
      ...conditions(['Available', 'True', 'Passed', 'all checks passed']),
    }),
    ...over,
  };
}

const withSecrets = claim({
  secretRefs: [{ name: 'orders-db', env: [{ secretKey: 'endpoint', envName: 'DB_HOST' }] }],
  imagePullSecrets: [{ name: 'regcred' }],
});
const summary = (fs: readonly Finding[]) => fs.map((f) => `${f.severity} ${f.check}`);
const of = (fs: readonly Finding[], check: string) => fs.filter((f) => f.check === check);

describe('clusterFindings', () => {
  it('passes a healthy v2 cluster, in the order a reader fixes things', () => {
    const fs = clusterFindings(healthy(), withSecrets);
    expect(summary(fs)).toEqual([
      'ok namespace',
      'ok secret',
      'ok imagePullSecret',
      'ok xrd',
      'ok composition',
      'ok function',
      'ok keda',
      'ok keda.metrics',
    ]);
    expect(of(fs, 'keda.metrics')[0]?.message).toContain('(served by keda/keda-metrics-apiserver)');
    expect(of(fs, 'secret')[0]?.message).toBe('Secret "orders-db" exists with keys endpoint');
  });

  it('checks NACK and the Prometheus Operator only for a claim that needs them', () => {
    const crds = {
      ...healthy().crds,
      [CLUSTER_CRDS.nack]: missing,
      [CLUSTER_CRDS.prometheus]: missing,
    };
    expect(summary(clusterFindings(healthy({ crds }), claim()))).not.toContain('error nack');
    const needs = claim({
      nats: { stream: 'ORDERS', consumer: 'orders-workers', managedConsumer: true },
      metrics: { serviceMonitor: { enabled: true } },
    });
    const fs = clusterFindings(healthy({ crds }), needs);
    expect(of(fs, 'nack')[0]).toMatchObject({
      severity: 'error',
      message: 'CRD consumers.jetstream.nats.io is not installed',
    });
    expect(of(fs, 'nack')[0]?.fix).toContain('or turn spec.nats.managedConsumer off');
    expect(of(fs, 'prometheus')[0]?.severity).toBe('error');
  });

  it("names the kubelet's error for a missing Secret, a missing key and a pull secret of the wrong type", () => {
    const fs = clusterFindings(
      healthy({
        secrets: {
          'orders-db': found({ type: 'Opaque', data: { host: 'ZGI=' } }),
          regcred: found({ type: 'Opaque', data: { token: 'eA==' } }),
        },
      }),
      withSecrets,
    );
    expect(of(fs, 'secret')[0]).toMatchObject({
      severity: 'error',
      message:
        'Secret "orders-db" has no key "endpoint", which DB_HOST is read from: every pod would stay in CreateContainerConfigError (couldn\'t find key endpoint in Secret shop/orders-db)',
      fix: 'add the key to the Secret, or fix the secretKey in spec.secretRefs (keys there: "host")',
    });
    expect(of(fs, 'imagePullSecret')[0]?.message).toContain('is of type "Opaque"');
    const none = clusterFindings(healthy({ secrets: {} }), withSecrets);
    expect(of(none, 'secret')[0]?.message).toContain('(secret "orders-db" not found)');
    expect(of(none, 'imagePullSecret')[0]?.fix).toContain(
      'kubectl create secret docker-registry regcred -n shop',
    );
  });

  it('reports the namespace missing, and its Pod Security level when set', () => {
    const gone = clusterFindings(healthy({ namespaceObject: missing }), claim());
    expect(gone[0]).toMatchObject({ severity: 'error', fix: 'kubectl create namespace shop' });
    const labelled = (labels: Record<string, string>) =>
      clusterFindings(healthy({ namespaceObject: found({ metadata: { labels } }) }), claim())[0];
    expect(
      labelled({
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/enforce-version': 'v1.35',
      })?.message,
    ).toBe(
      'namespace "shop" exists and enforces Pod Security "baseline" (version v1.35); the pods meet "restricted", the strictest',
    );
    expect(labelled({ 'pod-security.kubernetes.io/enforce': 'strict' })).toMatchObject({
      severity: 'warning',
      fix: 'kubectl label namespace shop --overwrite pod-security.kubernetes.io/enforce=restricted',
    });
  });

  it('turns a read the context may not make into a warning, not an error', () => {
    const forbidden: Read = {
      status: 'failed',
      reason:
        'HTTP 403: secrets "orders-db" is forbidden: User "dev" cannot get resource "secrets"',
    };
    const fs = clusterFindings(
      healthy({ secrets: { 'orders-db': forbidden, regcred: forbidden } }),
      withSecrets,
    );
    expect(of(fs, 'secret')[0]).toMatchObject({ severity: 'warning' });
    expect(of(fs, 'secret')[0]?.message).toContain('could not read Secret "orders-db": HTTP 403');
    expect(fs.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('says Crossplane is missing, and then does not look for the platform', () => {
    const crds = { ...healthy().crds, [CLUSTER_CRDS.crossplane]: missing };
    const fs = clusterFindings(healthy({ crds, xrds: { v2: missing, legacy: missing } }), claim());
    expect(summary(fs)).toEqual(['ok namespace', 'error crossplane', 'ok keda', 'ok keda.metrics']);
    expect(of(fs, 'crossplane')[0]?.fix).toContain('helm install crossplane');
  });

  it('says the platform is not installed when neither XRD exists, and when no Composition composes it', () => {
    const noXrd = clusterFindings(healthy({ xrds: { v2: missing, legacy: missing } }), claim());
    expect(of(noXrd, 'xrd')[0]?.message).toBe(
      `the platform is not installed: neither XRD ${XRD_NAMES.v2} (Crossplane v2) nor ${XRD_NAMES.legacy} (the legacy target) exists`,
    );
    const noComposition = clusterFindings(
      healthy({ compositions: found({ items: [composition('XEventDrivenService')] }) }),
      claim(),
    );
    expect(of(noComposition, 'composition')[0]).toMatchObject({ severity: 'error' });
    expect(of(noComposition, 'function')).toEqual([]);
  });

  it("quotes an unhealthy Function's condition, and finds a missing one", () => {
    const sick = found(
      conditions(
        ['Installed', 'True', 'ActivePackageRevision'],
        [
          'Healthy',
          'False',
          'UnhealthyPackageRevision',
          'cannot pull ghcr.io/bizmatters/function-eds:v0.1.0',
        ],
      ),
    );
    const fs = clusterFindings(healthy({ functions: { 'function-eds': sick } }), claim());
    expect(of(fs, 'function')[0]?.message).toBe(
      'Function "function-eds" is not ready: Healthy=False (UnhealthyPackageRevision: cannot pull ghcr.io/bizmatters/function-eds:v0.1.0)',
    );
    const gone = clusterFindings(healthy({ functions: {} }), claim());
    expect(of(gone, 'function')[0]?.message).toContain(
      'is not installed: every claim would fail to compose',
    );
  });

  it("finds KEDA's external metrics API down or missing", () => {
    const down = found({
      spec: { service: { name: 'keda-metrics-apiserver', namespace: 'keda' } },
      ...conditions([
        'Available',
        'False',
        'FailedDiscoveryCheck',
        'failing or missing response from https://10.0.0.1:6443',
      ]),
    });
    const fs = clusterFindings(healthy({ externalMetrics: down }), claim());
    expect(of(fs, 'keda.metrics')[0]?.message).toContain(
      'is not available: Available=False (FailedDiscoveryCheck: failing or missing response from https://10.0.0.1:6443)',
    );
    const none = clusterFindings(healthy({ externalMetrics: missing }), claim());
    expect(of(none, 'keda.metrics')[0]?.severity).toBe('error');
  });

  it('checks the legacy target: its XRD offers the claim, and provider-kubernetes is installed', () => {
    const legacy = (offered: string) =>
      healthy({
        xrds: {
          v2: missing,
          legacy: found(conditions(['Established', 'True'], ['Offered', offered])),
        },
        compositions: found({ items: [composition('XEventDrivenService')] }),
        crds: { ...healthy().crds, [CLUSTER_CRDS.providerKubernetes]: missing },
      });
    const fs = clusterFindings(legacy('True'), claim());
    expect(of(fs, 'xrd')[0]?.message).toBe(
      `XRD ${XRD_NAMES.legacy} (the legacy target) is established and offered`,
    );
    expect(of(fs, 'providerKubernetes')[0]?.severity).toBe('error');
    expect(of(clusterFindings(legacy('False'), claim()), 'xrd')[0]?.message).toContain(
      'Offered=False',
    );
  });

  it("lists the Functions the target's Compositions call, once each", () => {
    const list = found({
      items: [
        composition('EventDrivenService'),
        composition('EventDrivenService', 'function-auto-ready'),
        composition('XEventDrivenService', 'function-other'),
        {
          metadata: { name: 'unrelated' },
          spec: { compositeTypeRef: { apiVersion: 'example.org/v1', kind: 'EventDrivenService' } },
        },
      ],
    });
    expect(functionNames(list, 'v2')).toEqual(['function-auto-ready', 'function-eds']);
    expect(functionNames(missing, 'v2')).toEqual([]);
  });
});
