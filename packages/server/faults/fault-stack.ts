import { AdminClient, firstRunKey, firstRunLogin } from './admin-client.js';
import { type PostgresInstance, startPostgres } from './postgres-instance.js';
import { type RedisInstance, startRedis } from './redis-instance.js';
import { ensureStopped, FAULTS_SECRET_KEY, type ServerProcess, startServerProcess } from './server-process.js';

/** Cleanups a test file runs in its afterAll, last registered first. */
export type Cleanups = Array<() => Promise<void>>;

export type FaultStack = {
  postgres: PostgresInstance;
  /** Absent when the stack was started without Redis. */
  redis: RedisInstance | undefined;
  server: ServerProcess;
  /** The first run's admin key, as its printed output gave it. */
  admin: AdminClient;
};

/**
 * A throwaway Postgres (and Redis, unless `redis: false`) of the case's own, and the real server on
 * them with `env` added; each registers its cleanup.
 */
export async function startFaultStack(
  cleanups: Cleanups,
  options: { redis?: boolean; env?: Record<string, string> } = {},
): Promise<FaultStack> {
  const postgres = await startPostgres();
  cleanups.push(() => postgres.destroy());
  let redis: RedisInstance | undefined;
  if (options.redis !== false) {
    const started = await startRedis();
    cleanups.push(() => started.destroy());
    redis = started;
  }
  const server = await startServerProcess({
    DATABASE_URL: postgres.url,
    ...(redis ? { REDIS_URL: redis.url } : {}),
    SWITCHYARD_SECRET_KEY: FAULTS_SECRET_KEY,
    ...options.env,
  });
  cleanups.push(() => ensureStopped(server));
  return { postgres, redis, server, admin: new AdminClient(server.url, firstRunKey(server), firstRunLogin(server)) };
}
