// Builds the dashboard into dist/, which the server serves at / (and Vercel can host on its own).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));

export async function buildDashboard({ quiet = false } = {}) {
  await build({ root, configFile: `${root}/vite.config.ts`, logLevel: quiet ? 'warn' : 'info' });
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await buildDashboard({ quiet: process.argv.includes('--quiet') });
