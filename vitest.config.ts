import { defineConfig } from 'vitest/config';

// Three projects so a developer can run the fast ones alone; `npm test` runs all of them.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.ts', 'content/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/globalSetup.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // A browser test that fails is run once more before it counts (as Playwright's own runner
          // does in CI): on a shared 2-core machine a real Chromium, server and timers sometimes
          // miss a wait by a hair. A test that fails twice fails the run; vitest names each retry.
          retry: 1,
        },
      },
    ],
  },
});
