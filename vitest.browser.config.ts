import { defineConfig } from 'vitest/config';

// Not 'module': @opentelemetry/api's module build has extensionless imports Node cannot load.
const conditions = ['source', 'switchyard-source', 'node', 'development|production'];

// The browser suite: real Chromium (Debian's /usr/bin/chromium) against a real server.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source', 'switchyard-source'] } },
  test: {
    name: 'browser',
    include: ['packages/*/test/**/*.browser.test.ts'],
    globalSetup: ['packages/server/test/global-setup.ts'],
    testTimeout: 90_000,
    // A page under test waits on a real server and a real browser: give each look time to settle
    // on a busy machine (a hang still fails; a pass takes as long as the page does).
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
