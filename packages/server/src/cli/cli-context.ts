import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock } from '../clock.js';
import { type Config, loadConfig } from '../config.js';
import { type DatabaseHandle, openDatabase } from '../db/client.js';
import { createKv } from '../kv/create-kv.js';
import type { Kv } from '../kv/kv.js';
import { CliError } from './cli-error.js';

const REDIS_CONNECT_TIMEOUT_MS = 5_000;

/** How a domain's commands reach the installation: its configuration, its database and its Redis. */
export type CliContext = {
  /** Reads the configuration when a command runs, so `--help` needs none; throws ConfigError. */
  loadConfig(): Config;
  /**
   * Opens the configured database, applies pending migrations, runs `work`, closes it. An embedded
   * database must exist already, unless `create` (only `migrate` creates one).
   */
  withDatabase<T>(work: (database: DatabaseHandle) => Promise<T>, options?: { create?: boolean }): Promise<T>;
  /**
   * Connects to REDIS_URL, runs `work`, disconnects. Without REDIS_URL no other process shares a store
   * with this one, so there is nobody to tell and `work` does not run.
   */
  withRedis(work: (kv: Kv) => Promise<void>): Promise<void>;
};

export function createCliContext(): CliContext {
  return {
    loadConfig,
    async withDatabase(work, options = {}) {
      const config = loadConfig();
      if (!options.create) requireDatabase(config);
      const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
      try {
        await database.migrate();
        return await work(database);
      } finally {
        await database.close();
      }
    },
    async withRedis(work) {
      const config = loadConfig();
      if (!config.redisUrl) return;
      const kv = createKv({ redisUrl: config.redisUrl, prefix: config.redisKeyPrefix, clock: systemClock });
      try {
        await kv.whenConnected(REDIS_CONNECT_TIMEOUT_MS);
        await work(kv);
      } finally {
        await kv.close();
      }
    },
  };
}

/**
 * Refuses, naming the folder, when no embedded database exists at DATA_DIR: a command run from the
 * wrong folder would otherwise create an empty one there and report that nothing is in it.
 */
export function requireDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): void {
  if (config.databaseUrl || existsSync(join(config.dataDir, 'pglite', 'PG_VERSION'))) return;
  throw new CliError(
    `No database at DATA_DIR ${resolve(config.dataDir)}: run "switchyard start" (or "switchyard migrate") there first, or set DATA_DIR or DATABASE_URL to the installation's`,
  );
}
