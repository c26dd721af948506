import { defineConfig } from 'vitest/config';

// Not 'module': @opentelemetry/api's module build has extensionless imports Node cannot load.
const conditions = ['source', 'switchyard-source', 'node', 'development|production'];

// The fault-tolerance suite (docs/faults.md): the real server process against its own throwaway
// Postgres and Redis, which the cases stop, kill and restart. Files run one at a time on two cores.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source', 'switchyard-source'] } },
  test: {
    name: 'faults',
    include: ['packages/server/faults/**/*.test.ts'],
    globalSetup: ['packages/server/faults/global-setup.ts'],
    // Hang guards only: a case takes as long as its outage and its load do.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
