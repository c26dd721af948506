import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Clock } from '../src/clock.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import type { Kv } from '../src/kv/kv.js';
import { createMemoryKv } from '../src/kv/memory.js';
import { createRedisKv } from '../src/kv/redis.js';

/**
 * Which backends this test run uses, set per Vitest project: `embedded` (PGlite + in-process kv,
 * always) or `services` (TEST_DATABASE_URL / TEST_REDIS_URL, when set).
 */
export const BACKEND = process.env.SWITCHYARD_TEST_BACKEND === 'services' ? 'services' : 'embedded';
export const TEST_DATABASE_URL = BACKEND === 'services' ? process.env.TEST_DATABASE_URL : undefined;
export const TEST_REDIS_URL = BACKEND === 'services' ? process.env.TEST_REDIS_URL : undefined;

export type TestBackends = {
  database: DatabaseHandle;
  /** The URL of this file's own database, when on a Postgres server. */
  databaseUrl: string | undefined;
  /** A new, connected kv client on the same store (another replica's view). */
  connectKv(): Promise<Kv>;
  kv: Kv;
  /** Redis settings of this file's kv, for a child process to share it. */
  redis: { url: string; prefix: string } | undefined;
  close(): Promise<void>;
};

export function uniqueName(label: string): string {
  return `${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Creates an empty database on the test server, named for this file; dropped by `dropDatabase`. */
export async function createDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = uniqueName('sy_test');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

/**
 * A migrated database and a kv of this run's backend, private to the calling test file. `dataDir`
 * keeps an embedded database on disk instead of in memory.
 */
export async function createTestBackends(options: {
  clock: Clock;
  dataDir?: string;
  /** PGlite and the in-process kv even in a services run (moving an embedded install to a server). */
  embedded?: boolean;
}): Promise<TestBackends> {
  const services = !options.embedded;
  const created = services && TEST_DATABASE_URL ? await createDatabase(TEST_DATABASE_URL) : undefined;
  const database = await openDatabase({ url: created?.url, dataDir: options.dataDir, poolMax: 5 });
  await database.migrate();
  const redis = services && TEST_REDIS_URL ? { url: TEST_REDIS_URL, prefix: `${uniqueName('sytest')}:` } : undefined;
  const kvClients: Kv[] = [];
  const memoryKv = redis ? undefined : createMemoryKv({ clock: options.clock });
  const connectKv = async (): Promise<Kv> => {
    // In-process kv is one store per process: another replica in this process shares the instance.
    const kv = redis ? createRedisKv(redis) : (memoryKv as Kv);
    kvClients.push(kv);
    await kv.whenConnected(5_000);
    return kv;
  };
  const kv = await connectKv();
  return {
    database,
    databaseUrl: created?.url,
    kv,
    connectKv,
    redis,
    close: async () => {
      await Promise.allSettled([...new Set(kvClients)].map((client) => client.close()));
      await database.close();
      await created?.drop();
      if (redis) await deleteRedisPrefix(redis.url, redis.prefix);
    },
  };
}
