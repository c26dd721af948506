import { defineConfig } from 'vitest/config';

// Not 'module': @opentelemetry/api's module build has extensionless imports Node cannot load.
const conditions = ['source', 'node', 'development|production'];

// The browser suite: real Chromium (Debian's /usr/bin/chromium) against a real server.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    name: 'browser',
    include: ['packages/*/test/**/*.browser.test.ts'],
    globalSetup: ['packages/server/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
