import { describe, expect, it } from 'vitest';
import type { Pod } from '../src/kube-types.js';
import { parseServiceName, podLocalPort, podReady } from '../src/service-route.js';

describe('parseServiceName', () => {
  it.each([
    ['function-eds.crossplane-system:9443', 'function-eds', 'crossplane-system', 9443],
    ['function-eds.crossplane-system.svc:9443', 'function-eds', 'crossplane-system', 9443],
    ['Web.Team-A.svc.cluster.local.:80', 'web', 'team-a', 80],
  ])('%s names a Service', (authority, service, namespace, port) => {
    expect(parseServiceName(authority)).toEqual({ service, namespace, port });
  });

  it.each([
    ['function-eds.crossplane-system', 'has no port; ask for HOST:PORT'],
    ['a.b:0', '"0" is not a port number (1-65535)'],
    ['a.b:https', '"https" is not a port number (1-65535)'],
    ['a.b:70000', '"70000" is not a port number (1-65535)'],
    ['example.com.evil.test:443', 'is not a Service name'],
    ['127.0.0.1:443', 'is not a Service name'],
    ['only:443', 'is not a Service name'],
    ['bad_name.ns:443', 'is not a Service name'],
  ])('%s is refused with a reason', (authority, reason) => {
    const got = parseServiceName(authority);
    expect(typeof got).toBe('string');
    expect(got).toContain(reason);
  });
});

const pod = (annotations: Record<string, string>, ready = true, deleting = false): Pod => ({
  metadata: {
    name: 'p',
    annotations,
    ...(deleting ? { deletionTimestamp: '2026-01-02T03:04:05Z' } : {}),
  },
  spec: {
    containers: [
      {
        name: 'fn',
        ports: [
          { name: 'grpc', containerPort: 9443 },
          { name: 'metrics', containerPort: 8080 },
        ],
      },
      { name: 'side', ports: [{ containerPort: 7000 }] },
    ],
  },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('podLocalPort', () => {
  const assigned = pod({ 'node-agent.eds.local/ports': '{"grpc":41001,"7000":41002}' });

  it('follows a named target port to the port the agent assigned', () => {
    expect(podLocalPort(assigned, 'grpc')).toBe(41001);
  });
  it('follows a numeric target port to the assignment of the port declaring it', () => {
    expect(podLocalPort(assigned, 9443)).toBe(41001);
    expect(podLocalPort(assigned, 7000)).toBe(41002);
  });
  it('uses the declared number when the agent assigned none', () => {
    expect(podLocalPort(assigned, 'metrics')).toBe(8080);
    expect(podLocalPort(pod({}), 9443)).toBe(9443);
    expect(podLocalPort(pod({ 'node-agent.eds.local/ports': 'not json' }), 'grpc')).toBe(9443);
  });
  it('passes an undeclared number through and finds no undeclared name', () => {
    expect(podLocalPort(assigned, 1234)).toBe(1234);
    expect(podLocalPort(assigned, 'http')).toBeUndefined();
  });
});

describe('podReady', () => {
  it('is true only for a Ready pod that is not being deleted', () => {
    expect(podReady(pod({}))).toBe(true);
    expect(podReady(pod({}, false))).toBe(false);
    expect(podReady(pod({}, true, true))).toBe(false);
  });
});
