import { systemClock } from '../clock.js';
import { type Config, loadConfig } from '../config.js';
import { type DatabaseHandle, openDatabase } from '../db/client.js';
import { createKv } from '../kv/create-kv.js';
import type { Kv } from '../kv/kv.js';

const REDIS_CONNECT_TIMEOUT_MS = 5_000;

/** How a domain's commands reach the installation: its configuration, its database and its Redis. */
export type CliContext = {
  /** Reads the configuration when a command runs, so `--help` needs none; throws ConfigError. */
  loadConfig(): Config;
  /** Opens the configured database, applies pending migrations, runs `work`, closes it. */
  withDatabase<T>(work: (database: DatabaseHandle) => Promise<T>): Promise<T>;
  /**
   * Connects to REDIS_URL, runs `work`, disconnects. Without REDIS_URL no other process shares a store
   * with this one, so there is nobody to tell and `work` does not run.
   */
  withRedis(work: (kv: Kv) => Promise<void>): Promise<void>;
};

export function createCliContext(): CliContext {
  return {
    loadConfig,
    async withDatabase(work) {
      const config = loadConfig();
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
