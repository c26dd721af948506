// `npm start`: build when a source is newer than the build, then run `switchyard start` in this process.
// `npm run switchyard -- <command>` goes through here too, with --cli.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildAll } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'packages/server/dist/cli.js');
const sources = [
  'packages/server/src',
  'packages/shared/src',
  'packages/web/src',
  'packages/web/public',
  'packages/web/index.html',
  'packages/web/vite.config.ts',
  'packages/web/build.mjs',
];

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

const builtAt = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
if (sources.some((source) => newestChange(join(root, source)) > builtAt)) await buildAll({ quiet: true });

const args = process.argv.slice(2);
const cliArgs = args[0] === '--cli' ? args.slice(1) : ['start', ...args];
const { runCli } = await import(pathToFileURL(bundle).href);
await runCli(cliArgs);
