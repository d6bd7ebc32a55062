import type { Container } from '../src/kube-types.js';
import { describe, expect, it } from 'vitest';
import { containerArgv } from '../src/command.js';
import type { ImageEntry } from '../src/image-map.js';
import { containerMounts, rewritePath, type Mount } from '../src/mounts.js';

const entry: ImageEntry = {
  entrypoint: ['node', 'server.js'],
  cmd: ['--serve'],
  env: {},
  portEnv: {},
};

describe('containerArgv', () => {
  // https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#notes
  it.each([
    ['neither: the image entrypoint and cmd', {}, ['node', 'server.js', '--serve']],
    ['command only: it replaces entrypoint and drops cmd', { command: ['sh', '-c'] }, ['sh', '-c']],
    ['args only: they replace cmd', { args: ['--check'] }, ['node', 'server.js', '--check']],
    ['both: command then args', { command: ['sh'], args: ['-c', 'true'] }, ['sh', '-c', 'true']],
    ['empty lists count as unset', { command: [], args: [] }, ['node', 'server.js', '--serve']],
    [
      "the pod's elements are expanded",
      { args: ['--name=$(NAME)', '$(NOPE)', '$$(NAME)'] },
      ['node', 'server.js', '--name=web', '$(NOPE)', '$(NAME)'],
    ],
    [
      "mount paths in the pod's elements are rewritten",
      { command: ['cat', '/etc/app/config.yaml', '/etc/apple'] },
      ['cat', '/state/v/config/config.yaml', '/etc/apple'],
    ],
  ] as [string, Partial<Container>, string[]][])('%s', (_reason, container, argv) => {
    const mounts: Mount[] = [{ mountPath: '/etc/app', dir: '/state/v/config' }];
    expect(containerArgv(entry, { name: 'c', ...container }, { NAME: 'web' }, mounts)).toEqual(
      argv,
    );
  });

  it("leaves the image entry's own elements alone", () => {
    const own: ImageEntry = { ...entry, entrypoint: ['/etc/app/run', '$(NAME)'] };
    const mounts: Mount[] = [{ mountPath: '/etc/app', dir: '/x' }];
    expect(containerArgv(own, { name: 'c' }, { NAME: 'web' }, mounts)).toEqual([
      '/etc/app/run',
      '$(NAME)',
      '--serve',
    ]);
  });
});

describe('rewritePath', () => {
  const mounts: Mount[] = [
    { mountPath: '/tls/server', dir: '/s/tls' },
    { mountPath: '/tls', dir: '/s/outer' },
    { mountPath: '/data/', dir: '/s/data' },
  ];
  it.each([
    ['/tls/server', '/s/tls'],
    ['/tls/server/tls.crt', '/s/tls/tls.crt'],
    ['/tls/other', '/s/outer/other'],
    ['/tls', '/s/outer'],
    ['/data', '/s/data'],
    ['/data/x', '/s/data/x'],
    ['/tls/serverless', '/s/outer/serverless'],
    ['/tlsx', '/tlsx'],
    ['--dir=/tls/server', '--dir=/tls/server'],
    ['relative/tls', 'relative/tls'],
  ])('%s → %s', (value, rewritten) => {
    expect(rewritePath(value, mounts)).toBe(rewritten);
  });

  it('maps the root mount path', () => {
    expect(rewritePath('/etc/x', [{ mountPath: '/', dir: '/s/root' }])).toBe('/s/root/etc/x');
  });
});

describe('containerMounts', () => {
  it('joins subPath to the volume directory', () => {
    const container: Container = {
      name: 'c',
      volumeMounts: [
        { name: 'certs', mountPath: '/tls/server' },
        { name: 'config', mountPath: '/etc/app.yaml', subPath: 'app.yaml' },
      ],
    };
    expect(containerMounts(container, (v) => `/pods/p/volumes/${v}`)).toEqual([
      { mountPath: '/tls/server', dir: '/pods/p/volumes/certs' },
      { mountPath: '/etc/app.yaml', dir: '/pods/p/volumes/config/app.yaml' },
    ]);
  });
});
