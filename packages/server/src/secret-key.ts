import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';

/**
 * The key that signs CSRF tokens and encrypts provider credentials: from SWITCHYARD_SECRET_KEY, or on
 * an embedded install generated once into DATA_DIR/secret.key (mode 600) and reused on every start.
 */
export function ensureSecretKey(config: Config): string {
  if (config.secretKey) return config.secretKey;
  if (config.databaseUrl) throw new Error('SWITCHYARD_SECRET_KEY is required when DATABASE_URL is set');
  const file = join(config.dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
