import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { migrationsFolder } from './migrations-folder.js';
import { PgliteThread } from './pglite-thread.js';
import type { DataDirSource } from './pglite-worker.js';
import * as tenantSchema from './schema.js';
import * as telemetrySchema from './telemetry-schema.js';

const schema = { ...tenantSchema, ...telemetrySchema };

/** The query surface both backends share; code above `db/` sees only this. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseHandle = {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Applies pending migrations; safe to call from several replicas at once. */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /**
   * Embedded only: runs `work` holding PGlite's one session, so nothing else reads or writes until it
   * ends; `dumpDataDir` checkpoints and returns the data directory as a gzipped tarball. What `work`
   * counts is exactly what the tarball holds (what `switchyard backup` relies on).
   */
  withSnapshot?<T>(work: (session: EmbeddedSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

/** PGlite's session, held: plain queries and the data directory's tarball. */
export type EmbeddedSession = {
  query(text: string): Promise<Record<string, unknown>[]>;
  dumpDataDir(): Promise<Uint8Array>;
};

export type OpenDatabaseOptions = {
  /** A Postgres server; when absent, PGlite is embedded. */
  url?: string;
  /** Where PGlite keeps its files; absent = in memory (tests). */
  dataDir?: string;
  poolMax?: number;
  onPoolError?: (error: Error) => void;
  /** Embedded only: create the database from this dumped tarball (`dataDir` must hold no database yet). */
  loadDataDir?: DataDirSource;
};

// Any constant works; it only has to be the same on every replica.
const MIGRATION_LOCK_ID = 7_245_901_133;

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options) : openPglite(options.dataDir, options.loadDataDir);
}

async function openPglite(dataDir: string | undefined, load: DataDirSource | undefined): Promise<DatabaseHandle> {
  let path: string | undefined;
  let release = () => {};
  if (dataDir) {
    path = join(dataDir, 'pglite');
    mkdirSync(path, { recursive: true });
    release = lockDataDir(dataDir);
  }
  let thread: PgliteThread;
  try {
    thread = await PgliteThread.start(path, load);
  } catch (error) {
    release();
    throw error;
  }
  // PGlite is a single session: one connection, so a transaction never sees another caller's statements.
  const pool = new pg.Pool({ max: 1, stream: () => thread.connect(), user: 'postgres', database: 'postgres' });
  const nodePgDb = drizzlePostgres(pool, { schema });
  const db = nodePgDb as unknown as Database;
  return {
    db,
    kind: 'pglite',
    // One process owns the data directory (the lock above), so no migration lock is needed.
    migrate: () => migratePostgres(nodePgDb, { migrationsFolder: migrationsFolder() }),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    withSnapshot: async (work) => {
      // The pool's only connection: while it is checked out, every other query waits.
      const client = await pool.connect();
      try {
        const query = async (text: string) => (await client.query(text)).rows as Record<string, unknown>[];
        return await work({
          query,
          dumpDataDir: async () => {
            // Dirty pages to the files first: the tarball is of the files, not of memory.
            await query('checkpoint');
            return thread.dump();
          },
        });
      } finally {
        client.release();
      }
    },
    close: async () => {
      await pool.end();
      await thread.close();
      release();
    },
  };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (error) => options.onPoolError?.(error));
  // A checked-out client (between a transaction's statements) emits on itself, not on the pool: unheard,
  // Postgres going away crashed the process. Its statement fails instead, and the pool discards it.
  pool.on('connect', (client) => client.on('error', (error) => options.onPoolError?.(error)));
  const db = drizzlePostgres(pool, { schema }) as unknown as Database;
  return {
    db,
    kind: 'postgres',
    migrate: async () => {
      // A dedicated connection: the advisory lock is session state, which a pooled connection must not carry.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        await migratePostgres(drizzlePostgres(client), { migrationsFolder: migrationsFolder() });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
        await client.end();
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => pool.end(),
  };
}
