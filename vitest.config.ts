import { defineConfig } from 'vitest/config';
import { CiSummaryReporter } from './test/support/ci-reporter.js';

export default defineConfig({
  test: {
    reporters: ['default', new CiSummaryReporter()],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'functions/src/**/*.test.ts', 'infra/lib/**/*.test.ts'],
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          pool: 'forks',
          // Each integration file starts its own local stack (pebble + bind9 + moto start in about a second).
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
