/**
 * The ServiceMonitor through the function: composed only when the claim enables it, ready once
 * observed, counted in the service's health only when composed, and, while it is missing, a
 * condition that names what to install.
 */
import { Ready } from '@crossplane-org/function-sdk-typescript';
import { forTarget, render, validateClaim } from '@eds/core';
import { describe, expect, it } from 'vitest';
import { runFunction } from '../src/run.js';
import { SERVICE_MONITOR_HINT } from '../src/readiness.js';
import { allHealthy, claimFile, request, xrFor } from './requests.js';

const Y = Ready.READY_TRUE;
const N = Ready.READY_FALSE;

const minimal = claimFile('minimal-claim.yaml');
const monitored = {
  ...minimal,
  spec: {
    ...(minimal.spec as Record<string, unknown>),
    metrics: { serviceMonitor: { enabled: true, interval: '30s', labels: { release: 'prom' } } },
  },
};

const readiness = (rsp: ReturnType<typeof runFunction>) =>
  Object.fromEntries(Object.entries(rsp.desired?.resources ?? {}).map(([k, r]) => [k, r.ready]));
const health = (rsp: ReturnType<typeof runFunction>) =>
  rsp.conditions.map((c) => [c.reason, c.message]);

function renderAll(claim: Record<string, unknown>, target: 'v2' | 'legacy') {
  const v = validateClaim(claim);
  if (!v.ok) throw new Error('invalid claim');
  return forTarget(render(v.claim, v.claim.spec), { target });
}
const rendered = (claim: Record<string, unknown>, target: 'v2' | 'legacy') =>
  renderAll(claim, target).find((r) => r.key === 'servicemonitor')?.object;
const renderedKeys = (claim: Record<string, unknown>) => renderAll(claim, 'v2').map((r) => r.key);

/** As the API server returns a ServiceMonitor: the operator writes no status by default. */
const observedMonitor = () => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'simple-worker', namespace: 'workers', generation: 1 },
  spec: {},
});

describe('the ServiceMonitor', () => {
  it('is not composed when the claim does not enable it, and nothing waits for it', () => {
    const rsp = runFunction(request({ xr: xrFor(minimal), observed: allHealthy() }));
    const keys = Object.keys(rsp.desired?.resources ?? {});
    expect(keys).toEqual(renderedKeys(minimal));
    expect(keys).not.toContain('servicemonitor');
    expect(health(rsp)).toEqual([['Available', '2/2 pods ready']]);
    expect(rsp.results).toEqual([]);
  });

  it('is composed as rendered when enabled; until it exists the condition says what to install', () => {
    const rsp = runFunction(request({ xr: xrFor(monitored), observed: allHealthy() }));
    expect(rsp.desired?.resources.servicemonitor?.resource).toEqual(rendered(monitored, 'v2'));
    expect(readiness(rsp)).toEqual({
      serviceaccount: Y,
      deployment: Y,
      service: Y,
      scaledobject: Y,
      poddisruptionbudget: Y,
      servicemonitor: N,
    });
    expect(health(rsp)).toEqual([
      ['Creating', `ServiceMonitor has not been created yet${SERVICE_MONITOR_HINT}`],
    ]);
    expect(SERVICE_MONITOR_HINT).toContain('servicemonitors.monitoring.coreos.com');
    expect(rsp.results).toEqual([]);
  });

  it('is ready once observed, and the service is healthy', () => {
    const rsp = runFunction(
      request({
        xr: xrFor(monitored),
        observed: { ...allHealthy(), servicemonitor: observedMonitor() },
      }),
    );
    expect(readiness(rsp).servicemonitor).toBe(Y);
    expect(health(rsp)).toEqual([['Available', '2/2 pods ready']]);
  });

  it('does not hide a Deployment that is not ready', () => {
    const observed: Record<string, Record<string, unknown>> = {
      ...allHealthy(),
      servicemonitor: observedMonitor(),
    };
    delete observed.deployment;
    const rsp = runFunction(request({ xr: xrFor(monitored), observed }));
    expect(health(rsp)).toEqual([['Creating', 'Deployment has not been created yet']]);
  });

  it('is wrapped in an Object on the legacy target, ready once created', () => {
    const rsp = runFunction(request({ xr: xrFor(monitored, 'legacy'), target: 'legacy' }));
    const object = rsp.desired?.resources.servicemonitor?.resource;
    expect(object).toEqual(rendered(monitored, 'legacy'));
    expect(object).toMatchObject({
      apiVersion: 'kubernetes.crossplane.io/v1alpha2',
      kind: 'Object',
      spec: {
        forProvider: {
          manifest: { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' },
        },
        readiness: { policy: 'SuccessfulCreate' },
      },
    });
  });
});
