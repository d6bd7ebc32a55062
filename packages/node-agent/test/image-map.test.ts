import { describe, expect, it } from 'vitest';
import {
  formatImageMapProblems,
  lookupImage,
  parseImageMap,
  repository,
} from '../src/image-map.js';

describe('parseImageMap', () => {
  it('reads entries with defaults, portEnv as a name or a mapping', () => {
    const result = parseImageMap(`
example.com/web:1:
  entrypoint: [node, /srv/web.js]
  portEnv: PORT
example.com/worker:
  entrypoint: [node]
  cmd: [/srv/worker.js]
  workingDir: /srv
  env: { MODE: fast }
  portEnv: { metrics: METRICS_PORT, "8080": PORT }
`);
    expect(result).toEqual({
      ok: true,
      map: new Map([
        [
          'example.com/web:1',
          { entrypoint: ['node', '/srv/web.js'], cmd: [], env: {}, portEnv: { '': 'PORT' } },
        ],
        [
          'example.com/worker',
          {
            entrypoint: ['node'],
            cmd: ['/srv/worker.js'],
            workingDir: '/srv',
            env: { MODE: 'fast' },
            portEnv: { metrics: 'METRICS_PORT', '8080': 'PORT' },
          },
        ],
      ]),
    });
  });

  it('reads JSON and an empty file', () => {
    expect(parseImageMap('{"a:1": {"cmd": ["true"]}}')).toEqual({
      ok: true,
      map: new Map([['a:1', { entrypoint: [], cmd: ['true'], env: {}, portEnv: {} }]]),
    });
    expect(parseImageMap('')).toEqual({ ok: true, map: new Map() });
  });

  it('names the file, the image and the field of each problem', () => {
    const result = parseImageMap(`
a:1:
  entrypoint: node server.js
  cmd: [1]
  workdir: /srv
b:1: [node]
c:1:
  env: { A: 1 }
  portEnv: [PORT]
  workingDir: 3
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatImageMapProblems('/state/images.yaml', result.problems).split('\n')).toEqual([
      '/state/images.yaml: "a:1".workdir: unknown field; the fields are entrypoint, cmd, workingDir, env, portEnv',
      '/state/images.yaml: "a:1".entrypoint: must be a list of strings',
      '/state/images.yaml: "a:1".cmd: must be a list of strings',
      '/state/images.yaml: "b:1": must be a mapping with entrypoint and optionally cmd',
      '/state/images.yaml: "c:1": needs an entrypoint or a cmd: the program to run',
      '/state/images.yaml: "c:1".workingDir: must be a string',
      '/state/images.yaml: "c:1".env: must be a mapping from names to strings',
      '/state/images.yaml: "c:1".portEnv: must be an env var name, or a mapping from port names or numbers to env var names',
    ]);
  });

  it('rejects a file that is not a mapping, or not YAML', () => {
    expect(parseImageMap('- a')).toEqual({
      ok: false,
      problems: [{ path: '', message: 'must be a mapping from image references to entries' }],
    });
    const bad = parseImageMap('a: [');
    expect(!bad.ok && formatImageMapProblems('m.yaml', bad.problems)).toMatch(
      /^m\.yaml: not YAML: /,
    );
  });
});

describe('lookupImage', () => {
  const parsed = parseImageMap('r/a:1: {cmd: [one]}\nr/a: {cmd: [any]}\nhost:5000/b: {cmd: [b]}');
  const map = parsed.ok ? parsed.map : new Map();
  it.each([
    ['r/a:1', ['one']],
    ['r/a:2', ['any']],
    ['r/a@sha256:abc', ['any']],
    ['r/a', ['any']],
    ['host:5000/b:7', ['b']],
    ['host:5000/b', ['b']],
    ['r/ab:1', undefined],
  ])('%s', (image, cmd) => {
    expect(lookupImage(map, image)?.cmd).toEqual(cmd);
  });

  it.each([
    ['ghcr.io/a/b:1@sha256:00', 'ghcr.io/a/b'],
    ['localhost:5000/x', 'localhost:5000/x'],
    ['busybox', 'busybox'],
  ])('repository(%s) = %s', (image, repo) => {
    expect(repository(image)).toBe(repo);
  });
});
