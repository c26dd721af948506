// Builds what `switchyard start` runs: the server bundle, shared's types, the dashboard.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = join(root, 'packages/server');

export async function buildAll({ quiet = false } = {}) {
  const log = (message) => quiet || process.stderr.write(`${message}\n`);
  const started = performance.now();
  const manifest = JSON.parse(readFileSync(join(server, 'package.json'), 'utf8'));
  // npm dependencies stay external (installed beside us); our workspace packages are bundled from source.
  const external = Object.keys(manifest.dependencies).filter((name) => !name.startsWith('@switchyard/'));
  await build({
    entryPoints: {
      cli: join(server, 'src/cli.ts'),
      index: join(server, 'src/index.ts'),
      // The embedded database's thread, started by db/pglite-thread.ts from beside the bundle.
      'pglite-worker': join(server, 'src/db/pglite-worker.ts'),
    },
    outdir: join(server, 'dist'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: true,
    conditions: ['source'],
    external,
    logLevel: 'warning',
  });
  log(`built packages/server/dist in ${Math.round(performance.now() - started)} ms`);
  const dashboardStarted = performance.now();
  const { buildDashboard } = await import('../packages/web/build.mjs');
  await buildDashboard({ quiet: true });
  log(`built packages/web/dist in ${Math.round(performance.now() - dashboardStarted)} ms`);
}

export async function buildTypes() {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'packages/shared/tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildAll();
  await buildTypes();
  // The SDK is published on its own (ESM + CJS + types); `npm start` does not need it.
  const { buildSdk } = await import('../packages/sdk/build.mjs');
  await buildSdk();
}
