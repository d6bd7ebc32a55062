import type { Pod, Volume } from '../src/kube-types.js';
import { describe, expect, it } from 'vitest';
import type { Placement } from '../src/fields.js';
import type { ObjectData, ObjectKind } from '../src/objects.js';
import { referencedObjects } from '../src/objects.js';
import { planVolumes } from '../src/volumes.js';

const placement: Placement = {
  ip: '127.0.0.1',
  allocatable: { cpu: 2, memory: 2 ** 30, 'ephemeral-storage': 2 ** 30 },
};
const store: Record<string, ObjectData> = {
  'Secret/tls': {
    strings: {},
    bytes: { 'tls.crt': Buffer.from('CERT'), 'tls.key': Buffer.from('KEY') },
  },
  'ConfigMap/cfg': { strings: { 'app.yaml': 'a: 1' }, bytes: { 'blob.bin': Buffer.from([0, 1]) } },
};
const objects = (kind: ObjectKind, name: string) => store[`${kind}/${name}`];
const pod = (volumes: Volume[]): Pod => ({
  metadata: { name: 'p', namespace: 'n', labels: { b: '2', a: '1' } },
  spec: { containers: [{ name: 'c' }], volumes },
});
const text = (r: ReturnType<typeof planVolumes>) =>
  r.ok
    ? r.volumes.map((v) =>
        v.kind === 'files'
          ? {
              name: v.name,
              files: v.files.map((f) => [f.path, f.content.toString('latin1'), f.mode.toString(8)]),
            }
          : v,
      )
    : r;

describe('planVolumes', () => {
  it('plans secret, configMap, emptyDir, hostPath, downwardAPI and projected volumes', () => {
    const result = planVolumes(
      pod([
        { name: 'certs', secret: { secretName: 'tls', defaultMode: 0o600 } },
        {
          name: 'config',
          configMap: {
            name: 'cfg',
            items: [{ key: 'app.yaml', path: 'conf/app.yaml', mode: 0o400 }],
          },
        },
        { name: 'scratch', emptyDir: {} },
        { name: 'host', hostPath: { path: '/var/tmp' } },
        {
          name: 'info',
          downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] },
        },
        {
          name: 'kube-api-access',
          projected: {
            sources: [
              { serviceAccountToken: { path: 'token' } },
              { configMap: { name: 'cfg', items: [{ key: 'app.yaml', path: 'ca.crt' }] } },
              {
                downwardAPI: {
                  items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }],
                },
              },
            ],
          },
        },
      ]),
      objects,
      placement,
      (volume, path) =>
        volume === 'kube-api-access' && path === 'token' ? { token: 'TOKEN' } : undefined,
    );
    expect(text(result)).toEqual([
      {
        name: 'certs',
        files: [
          ['tls.crt', 'CERT', '600'],
          ['tls.key', 'KEY', '600'],
        ],
      },
      { name: 'config', files: [['conf/app.yaml', 'a: 1', '400']] },
      { name: 'scratch', kind: 'emptyDir' },
      { name: 'host', kind: 'hostPath', path: '/var/tmp' },
      { name: 'info', files: [['labels', 'a="1"\nb="2"', '644']] },
      {
        name: 'kube-api-access',
        files: [
          ['token', 'TOKEN', '644'],
          ['ca.crt', 'a: 1', '644'],
          ['namespace', 'n', '644'],
        ],
      },
    ]);
  });

  it('fails the mount when the token could not be requested, as the kubelet does', () => {
    const volumes = [
      {
        name: 'kube-api-access',
        projected: { sources: [{ serviceAccountToken: { path: 'token' } }] },
      },
    ];
    expect(
      planVolumes(pod(volumes), objects, placement, () => ({
        error: 'serviceaccounts "worker" not found',
      })),
    ).toEqual({
      ok: false,
      message:
        'MountVolume.SetUp failed for volume "kube-api-access" : failed to fetch token: serviceaccounts "worker" not found',
    });
    expect(planVolumes(pod(volumes), objects, placement)).toMatchObject({ ok: false });
  });

  it('writes configMap binaryData too', () => {
    expect(
      text(planVolumes(pod([{ name: 'v', configMap: { name: 'cfg' } }]), objects, placement)),
    ).toEqual([
      {
        name: 'v',
        files: [
          ['app.yaml', 'a: 1', '644'],
          ['blob.bin', '\u0000\u0001', '644'],
        ],
      },
    ]);
  });

  it('leaves an optional missing object empty', () => {
    expect(
      text(
        planVolumes(
          pod([{ name: 'v', secret: { secretName: 'none', optional: true } }]),
          objects,
          placement,
        ),
      ),
    ).toEqual([{ name: 'v', files: [] }]);
  });

  it.each([
    [
      'a missing Secret',
      { name: 'v', secret: { secretName: 'none' } },
      'MountVolume.SetUp failed for volume "v" : secret "none" not found',
    ],
    [
      'a missing ConfigMap',
      { name: 'v', configMap: { name: 'none' } },
      'MountVolume.SetUp failed for volume "v" : configmap "none" not found',
    ],
    [
      'a missing Secret key',
      { name: 'v', secret: { secretName: 'tls', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      'MountVolume.SetUp failed for volume "v" : references non-existent secret key: ca.crt',
    ],
    [
      'a missing ConfigMap key',
      { name: 'v', configMap: { name: 'cfg', items: [{ key: 'x', path: 'x' }] } },
      'MountVolume.SetUp failed for volume "v" : configmap references non-existent config key: x',
    ],
    [
      'a path out of the volume',
      {
        name: 'v',
        configMap: { name: 'cfg', items: [{ key: 'app.yaml', path: '../../etc/passwd' }] },
      },
      'MountVolume.SetUp failed for volume "v" : invalid path "../../etc/passwd": must be relative and may not contain \'..\'',
    ],
    [
      'an unsupported type',
      { name: 'v', persistentVolumeClaim: { claimName: 'data' } },
      'MountVolume.SetUp failed for volume "v" : the node agent supports only secret, configMap, emptyDir, hostPath, downwardAPI and projected volumes',
    ],
  ] as [string, Volume, string][])('fails on %s', (_reason, volume, message) => {
    expect(planVolumes(pod([volume]), objects, placement)).toEqual({ ok: false, message });
  });
});

describe('referencedObjects', () => {
  it('lists every Secret and ConfigMap once', () => {
    const p: Pod = {
      spec: {
        initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 's1' } }] }],
        containers: [
          {
            name: 'c',
            envFrom: [{ configMapRef: { name: 'c1' } }],
            env: [
              { name: 'A', valueFrom: { secretKeyRef: { name: 's1', key: 'k' } } },
              { name: 'B', valueFrom: { configMapKeyRef: { name: 'c2', key: 'k' } } },
            ],
          },
        ],
        volumes: [
          { name: 'v', secret: { secretName: 's2' } },
          {
            name: 'w',
            projected: { sources: [{ configMap: { name: 'c1' } }, { secret: { name: 's3' } }] },
          },
        ],
      },
    };
    expect(referencedObjects(p)).toEqual([
      { kind: 'Secret', name: 's1' },
      { kind: 'ConfigMap', name: 'c1' },
      { kind: 'ConfigMap', name: 'c2' },
      { kind: 'Secret', name: 's2' },
      { kind: 'Secret', name: 's3' },
    ]);
  });
});
