import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string, entry = 'index') =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${entry}.ts`, import.meta.url));

// Tests import workspace packages from source; child processes (CLI, worker, function server)
// run the built dist, which `npm test` builds first.
const alias = [
  { find: /^@eds\/core$/, replacement: src('core') },
  { find: /^@eds\/core\/definition$/, replacement: src('core', 'definition') },
  { find: /^@eds\/function$/, replacement: src('function') },
  { find: /^@eds\/worker$/, replacement: src('worker') },
  { find: /^@eds\/node-agent$/, replacement: src('node-agent') },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          // Property tests run a hundred cases each; on two busy cores one can pass 5 s.
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // The upstream programs as judges (`npm run conformance`, after conformance/build.sh).
        resolve: { alias },
        test: {
          name: 'conformance',
          include: ['conformance/test/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
