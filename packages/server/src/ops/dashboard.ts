import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { serverPackageRoot } from '../package-root.js';

export function dashboardFolder(): string {
  return join(serverPackageRoot(), '..', 'web', 'dist');
}

/** Serves the built dashboard at `/` when it has been built (`npm run build`). */
export async function registerDashboard(app: FastifyInstance): Promise<boolean> {
  const root = dashboardFolder();
  if (!existsSync(join(root, 'index.html'))) return false;
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: 'index.html' });
  return true;
}
