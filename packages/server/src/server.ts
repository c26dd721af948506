import pino from 'pino';
import { type App, buildApp } from './app.js';
import { bootstrapFirstRun, type FirstRunCredentials } from './auth/index.js';
import { systemClock } from './clock.js';
import type { Config } from './config.js';
import { openDatabase } from './db/client.js';
import { createKv } from './kv/create-kv.js';
import { ensureSecretKey } from './secret-key.js';

export type RunningServer = {
  app: App;
  url: string;
  firstRun: FirstRunCredentials | undefined;
  /** Stops accepting, lets in-flight requests finish, flushes, closes the pools. */
  stop(): Promise<void>;
};

/** Opens the database and kv, migrates, creates the first org on an empty database, and listens. */
export async function startServer(
  config: Config,
  options: { logStream?: NodeJS.WritableStream } = {},
): Promise<RunningServer> {
  const log = pino({ level: config.logLevel }, options.logStream ?? process.stdout);
  const secretKey = ensureSecretKey(config);
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
    onPoolError: (error) => log.warn({ err: error }, 'idle Postgres connection failed'),
  });
  const kv = createKv({
    redisUrl: config.redisUrl,
    prefix: config.redisKeyPrefix,
    clock: systemClock,
    onError: (error) => log.warn({ err: error }, 'redis connection problem'),
  });
  let app: App | undefined;
  try {
    // Serving without Redis is possible (/ready says so), so a slow or absent Redis only warns.
    await kv.whenConnected(5_000).catch((error) => log.warn({ err: error }, 'starting without Redis'));
    await database.migrate();
    const firstRun = await bootstrapFirstRun(database.db);
    app = await buildApp({
      config: { ...config, secretKey },
      database,
      kv,
      clock: systemClock,
      logStream: options.logStream,
    });
    const address = await app.listen({ port: config.port, host: config.host });
    const url = config.publicUrl ?? address.replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
    const running = app;
    return {
      app: running,
      url,
      firstRun,
      stop: async () => {
        await running.close();
        await Promise.allSettled([database.close(), kv.close()]);
      },
    };
  } catch (error) {
    await app?.close().catch(() => {});
    await Promise.allSettled([database.close(), kv.close()]);
    throw error;
  }
}
