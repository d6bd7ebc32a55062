import type { Container, Pod } from '../src/kube-types.js';
import { describe, expect, it } from 'vitest';
import { resolveEnv } from '../src/env.js';
import type { Placement } from '../src/fields.js';
import type { ObjectData, ObjectKind } from '../src/objects.js';

const placement: Placement = {
  ip: '127.0.0.1',
  allocatable: { cpu: 4, memory: 8 * 2 ** 30, 'ephemeral-storage': 100 * 2 ** 30 },
};

const pod: Pod = {
  metadata: {
    name: 'web-1',
    namespace: 'shop',
    uid: 'u-1',
    labels: { app: 'web' },
    annotations: { note: 'hi' },
  },
  spec: { nodeName: 'eds-local', serviceAccountName: 'web', containers: [] },
};

const store: Record<string, ObjectData> = {
  'Secret/creds': {
    strings: {},
    bytes: { user: Buffer.from('alice'), pass: Buffer.from('s3cret') },
  },
  'ConfigMap/settings': { strings: { mode: 'fast', level: 'info' }, bytes: {} },
};
const objects = (kind: ObjectKind, name: string) => store[`${kind}/${name}`];

const run = (container: Partial<Container>) =>
  resolveEnv(pod, { name: 'c', ...container }, objects, placement);

describe('resolveEnv', () => {
  it('expands $(VAR) against variables defined earlier, envFrom included', () => {
    expect(
      run({
        envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'CFG_' }],
        env: [
          { name: 'A', value: 'one' },
          { name: 'B', value: '$(A)-$(CFG_mode)-$(LATER)' },
          { name: 'LATER', value: 'x' },
          { name: 'E', value: '$$(A)' },
        ],
      }),
    ).toEqual({
      ok: true,
      env: {
        CFG_mode: 'fast',
        CFG_level: 'info',
        A: 'one',
        B: 'one-fast-$(LATER)',
        LATER: 'x',
        E: '$(A)',
      },
    });
  });

  it('lets env override envFrom', () => {
    expect(
      run({ envFrom: [{ secretRef: { name: 'creds' } }], env: [{ name: 'user', value: 'bob' }] }),
    ).toEqual({
      ok: true,
      env: { user: 'bob', pass: 's3cret' },
    });
  });

  it('reads secretKeyRef, configMapKeyRef and fieldRef', () => {
    const ref = (fieldPath: string) => ({ valueFrom: { fieldRef: { fieldPath } } });
    expect(
      run({
        env: [
          { name: 'U', valueFrom: { secretKeyRef: { name: 'creds', key: 'user' } } },
          { name: 'M', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } },
          { name: 'NAME', ...ref('metadata.name') },
          { name: 'NS', ...ref('metadata.namespace') },
          { name: 'UID', ...ref('metadata.uid') },
          { name: 'APP', ...ref("metadata.labels['app']") },
          { name: 'NOTE', ...ref("metadata.annotations['note']") },
          { name: 'MISSING', ...ref("metadata.labels['none']") },
          { name: 'NODE', ...ref('spec.nodeName') },
          { name: 'SA', ...ref('spec.serviceAccountName') },
          { name: 'POD_IP', ...ref('status.podIP') },
          { name: 'HOST_IP', ...ref('status.hostIP') },
        ],
      }),
    ).toEqual({
      ok: true,
      env: {
        U: 'alice',
        M: 'fast',
        NAME: 'web-1',
        NS: 'shop',
        UID: 'u-1',
        APP: 'web',
        NOTE: 'hi',
        MISSING: '',
        NODE: 'eds-local',
        SA: 'web',
        POD_IP: '127.0.0.1',
        HOST_IP: '127.0.0.1',
      },
    });
  });

  it('reads resourceFieldRef with a divisor; an unset limit is the node allocatable', () => {
    expect(
      run({
        resources: { limits: { memory: '128Mi', cpu: '500m' }, requests: { cpu: '250m' } },
        env: [
          {
            name: 'MEM_MI',
            valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } },
          },
          { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
          {
            name: 'CPU_M',
            valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } },
          },
          {
            name: 'DISK',
            valueFrom: {
              resourceFieldRef: { resource: 'limits.ephemeral-storage', divisor: '1Gi' },
            },
          },
        ],
      }),
    ).toEqual({ ok: true, env: { MEM_MI: '128', CPU: '1', CPU_M: '250', DISK: '100' } });
  });

  it('skips optional sources that are missing', () => {
    expect(
      run({
        envFrom: [{ secretRef: { name: 'nope', optional: true } }],
        env: [
          { name: 'A', valueFrom: { secretKeyRef: { name: 'nope', key: 'k', optional: true } } },
          {
            name: 'B',
            valueFrom: { configMapKeyRef: { name: 'settings', key: 'nokey', optional: true } },
          },
        ],
      }),
    ).toEqual({ ok: true, env: {} });
  });

  it.each([
    [
      'a missing Secret',
      { env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'x', key: 'k' } } }] },
      'secret "x" not found',
    ],
    [
      'a missing ConfigMap',
      { env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'y', key: 'k' } } }] },
      'configmap "y" not found',
    ],
    [
      'a missing Secret key',
      { env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }] },
      "couldn't find key k in Secret shop/creds",
    ],
    [
      'a missing ConfigMap key',
      { env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'settings', key: 'k' } } }] },
      "couldn't find key k in ConfigMap shop/settings",
    ],
    [
      'a missing envFrom Secret',
      { envFrom: [{ secretRef: { name: 'gone' } }] },
      'secret "gone" not found',
    ],
    [
      'a missing envFrom ConfigMap',
      { envFrom: [{ configMapRef: { name: 'gone' } }] },
      'configmap "gone" not found',
    ],
    [
      'an unsupported fieldPath',
      { env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.hostname' } } }] },
      'unsupported fieldPath: spec.hostname',
    ],
  ] as [string, Partial<Container>, string][])(
    'fails on %s with the kubelet message',
    (_reason, container, message) => {
      expect(run(container)).toEqual({ ok: false, message });
    },
  );
});
