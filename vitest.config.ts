import { defineConfig } from 'vitest/config';

// Our workspace packages resolve to their TypeScript source in tests (the "source" export condition;
// "switchyard-source" for the published SDK, whose tarball has no src for an app's own "source" to find).
// Not 'module': @opentelemetry/api's module build has extensionless imports Node cannot load.
const conditions = ['source', 'switchyard-source', 'node', 'development|production'];
const include = ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'];
const exclude = ['**/*.browser.test.ts', '**/node_modules/**'];

const { TEST_DATABASE_URL, TEST_REDIS_URL } = process.env;
const servicesName = [TEST_DATABASE_URL && 'postgres', TEST_REDIS_URL && 'redis'].filter(Boolean).join('+');

// The docs test runs what the README says, on the documented default: the embedded database. The SDK
// package test packs packages/sdk, whose prepack rebuilds its dist: once, not once per project at once.
const embeddedOnly = ['packages/server/test/docs.test.ts', 'packages/server/test/sdk-package.test.ts'];
const servicesProject = {
  extends: true as const,
  test: {
    name: servicesName,
    include,
    exclude: [...exclude, ...embeddedOnly],
    env: { SWITCHYARD_TEST_BACKEND: 'services' },
  },
};

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source', 'switchyard-source'] } },
  test: {
    globalSetup: ['packages/server/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for something eventual (a batch flushed, a broadcast heard); its default of 1 s
    // was a timing assertion that a loaded CI machine can miss.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      { extends: true, test: { name: 'embedded', include, exclude, env: { SWITCHYARD_TEST_BACKEND: 'embedded' } } },
      ...(servicesName ? [servicesProject] : []),
    ],
  },
});
