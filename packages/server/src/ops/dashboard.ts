import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { serverPackageRoot } from '../package-root.js';

export function dashboardFolder(): string {
  return join(serverPackageRoot(), '..', 'web', 'dist');
}

/** Vite names built assets by content hash, so a name never changes meaning: cache them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current assets: browsers check it on every load. */
const REVALIDATE = 'no-cache';

/**
 * Serves the built dashboard at `/` when it has been built (`npm run build`); client routes like
 * /overview get index.html from the not-found handler.
 */
export async function registerDashboard(app: FastifyInstance): Promise<boolean> {
  const root = dashboardFolder();
  if (!existsSync(join(root, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: 'index.html',
    cacheControl: false,
    setHeaders: (reply, path) => {
      const hashed = path.includes(`${sep}assets${sep}`);
      reply.header('cache-control', hashed ? IMMUTABLE : REVALIDATE);
    },
  });
  return true;
}
