import { join } from 'node:path';
import { serverPackageRoot } from '../package-root.js';

/** The committed drizzle-kit migrations. */
export function migrationsFolder(): string {
  return join(serverPackageRoot(), 'src', 'db', 'migrations');
}
