// Shared vitest settings for every workspace package.
// Tests import sibling packages by name; the alias points those names at their TypeScript sources so
// a test never runs against a stale build, while `npm test` still builds first (turbo) to typecheck.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export function packageTestConfig(options: { testTimeout?: number } = {}) {
  return defineConfig({
    resolve: {
      alias: [
        { find: /^@descent\/([a-z]+)$/, replacement: `${root}packages/$1/src/index.ts` },
        { find: /^@descent\/([a-z]+)\/([a-z]+)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
      ],
    },
    test: {
      include: ['test/**/*.test.ts'],
      // No per-test time limit: on a loaded machine a test may take many times its usual time, and
      // whether it passes must not depend on that. Speed is measured by the benchmarks.
      testTimeout: options.testTimeout ?? 0,
      hookTimeout: 0,
      setupFiles: [`${root}vitest.setup.ts`],
      passWithNoTests: true,
      reporters: ['default', 'json'],
      outputFile: { json: '.vitest-results.json' },
    },
  });
}
