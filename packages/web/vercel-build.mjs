// `buildCommand` of vercel.json: builds the dashboard into Vercel's Build Output API layout.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDashboard } from './build.mjs';
import { apiUrlFrom, vercelOutputConfig } from './vercel-config.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const output = join(here, '.vercel', 'output');

let apiUrl;
try {
  apiUrl = apiUrlFrom(process.env);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
await buildDashboard();
rmSync(output, { recursive: true, force: true });
mkdirSync(output, { recursive: true });
cpSync(join(here, 'dist'), join(output, 'static'), { recursive: true });
writeFileSync(join(output, 'config.json'), `${JSON.stringify(vercelOutputConfig(apiUrl), null, 2)}\n`);
process.stderr.write(`Vercel output in ${output}; /api, /v1 and /otel go to ${apiUrl}\n`);
