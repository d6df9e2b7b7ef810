import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      // The use cases against in-memory implementations of their ports (test/support/memory-ports.ts).
      {
        test: {
          name: 'use-cases',
          include: ['test/use-cases/**/*.test.ts'],
          testTimeout: 30_000,
          env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      { test: { name: 'cdk', include: ['test/cdk/**/*.test.ts'], testTimeout: 120_000 } },
      // The web inbox's pure logic (sign-in switch, dates, search, actions), in Node.
      { test: { name: 'web', include: ['web/src/**/*.test.ts'] } },
      {
        // The web inbox in Chromium, against its own local stack (the integration tests count on a fresh
        // city's first numbers, so the two do not share one).
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // Screens wait on the API and pdf.js: give polled assertions time when the machine is busy.
          expect: { poll: { timeout: 30_000, interval: 100 } },
        },
      },
    ],
  },
});
