import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only contend for CPU with the database they test against.
    maxWorkers: 2,
    projects: [
      // Component tests of the console: node environment, no database (see ui/vitest.config.ts).
      'ui/vitest.config.ts',
      {
        extends: true,
        test: {
          name: 'main',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.e2e.test.ts', 'node_modules/**', 'ui/**'],
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.e2e.test.ts'], testTimeout: 120_000, fileParallelism: false },
      },
    ],
  },
});
