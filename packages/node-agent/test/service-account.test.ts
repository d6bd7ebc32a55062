import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Pod } from '../src/kube-types.js';
import { tokenKubeconfig, tokenMount, tokenSources } from '../src/service-account.js';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'n' },
  spec: {
    containers: [
      {
        name: 'c',
        volumeMounts: [
          { name: 'certs', mountPath: '/tls' },
          { name: 'kube-api-access-x', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
        ],
      },
      { name: 'sub', volumeMounts: [{ name: 'vault', mountPath: '/t', subPath: 'token' }] },
    ],
    volumes: [
      { name: 'certs', secret: { secretName: 'tls' } },
      {
        name: 'kube-api-access-x',
        projected: {
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          ],
        },
      },
      {
        name: 'vault',
        projected: { sources: [{ serviceAccountToken: { path: './token', audience: 'vault' } }] },
      },
    ],
  },
};

describe('service account tokens', () => {
  it('lists every serviceAccountToken projection with its request', () => {
    expect(tokenSources(pod)).toEqual([
      { volume: 'kube-api-access-x', path: 'token', expirationSeconds: 3607 },
      { volume: 'vault', path: './token', audience: 'vault' },
    ]);
  });

  it('finds the mount that holds a token; a subPath mount of one gets no kubeconfig', () => {
    const sources = tokenSources(pod);
    const [c, sub] = pod.spec?.containers ?? [];
    expect(c && tokenMount(c, sources)).toEqual({
      volume: 'kube-api-access-x',
      tokenPath: 'token',
    });
    expect(sub && tokenMount(sub, sources)).toBeUndefined();
  });

  it('writes a kubeconfig that reads the token file', () => {
    const config = parse(
      tokenKubeconfig({
        server: 'https://127.0.0.1:6443',
        caFile: '/pods/u/volumes/kube-api-access-x/ca.crt',
        tokenFile: '/pods/u/volumes/kube-api-access-x/token',
        namespace: 'n',
      }),
    ) as unknown;
    expect(config).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'cluster',
          cluster: {
            server: 'https://127.0.0.1:6443',
            'certificate-authority': '/pods/u/volumes/kube-api-access-x/ca.crt',
          },
        },
      ],
      users: [
        { name: 'service-account', user: { tokenFile: '/pods/u/volumes/kube-api-access-x/token' } },
      ],
      contexts: [
        {
          name: 'service-account',
          context: { cluster: 'cluster', user: 'service-account', namespace: 'n' },
        },
      ],
      'current-context': 'service-account',
    });
    expect(
      parse(tokenKubeconfig({ server: 's', caData: 'Q0E=', tokenFile: 't', namespace: 'n' })),
    ).toMatchObject({ clusters: [{ cluster: { 'certificate-authority-data': 'Q0E=' } }] });
  });
});
