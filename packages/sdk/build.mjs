// Builds @switchyard/sdk into dist/: ESM and CJS bundles, each in two flavours, and the .d.ts files.
//
// `src/context.ts` imports `#async-local-storage`, which package.json maps by condition: `node` to
// node:async_hooks, `default` to globalThis.AsyncLocalStorage. esbuild resolves it once per bundle,
// so `index.node.js` (Node, and bundlers targeting Node) and `index.js` (edge, workers, browsers:
// no `node:` import at all) differ only there. package.json `exports` routes each runtime to its own.
//
//   dist/esm/index.js  index.node.js  *.d.ts       ("type": "module" from ../package.json)
//   dist/cjs/index.js  index.node.js  *.d.ts  package.json {"type": "commonjs"}
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const sdk = dirname(fileURLToPath(import.meta.url));
const root = join(sdk, '../..');

/** `outDir` defaults to packages/sdk/dist; the build test builds into a folder of its own. */
export async function buildSdk({ quiet = false, outDir = join(sdk, 'dist') } = {}) {
  const dist = outDir;
  const started = performance.now();
  const manifest = JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8'));
  const versionSource = readFileSync(join(sdk, 'src/version.ts'), 'utf8');
  if (!versionSource.includes(`'${manifest.version}'`)) {
    throw new Error(`src/version.ts does not say ${manifest.version}, the version in package.json`);
  }
  rmSync(dist, { recursive: true, force: true });
  const bundles = [
    { format: 'esm', platform: 'node', outfile: 'esm/index.node.js' },
    { format: 'esm', platform: 'neutral', outfile: 'esm/index.js' },
    { format: 'cjs', platform: 'node', outfile: 'cjs/index.node.js' },
    { format: 'cjs', platform: 'neutral', outfile: 'cjs/index.js' },
  ];
  await Promise.all(
    bundles.map(({ format, platform, outfile }) =>
      build({
        entryPoints: [join(sdk, 'src/index.ts')],
        outfile: join(dist, outfile),
        bundle: true,
        format,
        platform,
        // Node 20 and every runtime with global fetch and crypto.randomUUID.
        target: platform === 'node' ? 'node20' : 'es2022',
        logLevel: 'warning',
      }),
    ),
  );
  writeFileSync(join(dist, 'cjs/package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(sdk, 'tsconfig.build.json'),
      '--outDir',
      join(dist, 'esm'),
    ],
    {
      cwd: root,
      stdio: quiet ? 'pipe' : 'inherit',
    },
  );
  // The same declarations under dist/cjs, where the nearest package.json makes them CommonJS ones.
  for (const file of readdirSync(join(dist, 'esm')).filter((name) => name.endsWith('.d.ts'))) {
    copyFileSync(join(dist, 'esm', file), join(dist, 'cjs', file));
  }
  if (!quiet) process.stderr.write(`built ${dist} in ${Math.round(performance.now() - started)} ms\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv.find((argument) => argument.startsWith('--out-dir='))?.slice('--out-dir='.length);
  await buildSdk(outDir ? { outDir } : {});
}
