import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, createDatabase, TEST_DATABASE_URL } from '../../test/backend.js';
import { openDatabase } from './client.js';

// On a Postgres server only: the embedded backend has no URL to read sslmode from.
describe.runIf(BACKEND === 'services' && TEST_DATABASE_URL)('DATABASE_URL', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  beforeAll(async () => {
    database = await createDatabase(TEST_DATABASE_URL as string);
  });
  afterAll(() => database?.drop());

  const withSslMode = (mode: string) => {
    const url = new URL(database.url);
    url.searchParams.set('sslmode', mode);
    return url.toString();
  };

  it('honours sslmode=require: a server without TLS is refused, not used in clear', async () => {
    const handle = await openDatabase({ url: withSslMode('require') });
    try {
      const failure = await handle.ping().then(
        () => undefined,
        (error: Error) => error,
      );
      // drizzle wraps the driver's error; the reason is its cause.
      expect(String((failure?.cause as Error | undefined)?.message ?? failure?.message)).toMatch(/SSL/i);
    } finally {
      await handle.close();
    }
  });

  it('connects with sslmode=disable and migrates twice without change', async () => {
    const handle = await openDatabase({ url: withSslMode('disable') });
    try {
      await handle.migrate();
      await handle.migrate();
      await expect(handle.ping()).resolves.toBeUndefined();
    } finally {
      await handle.close();
    }
  });
});

// Each test starts PGlite (a WebAssembly Postgres) once or twice: seconds on a quiet machine, far
// more when the suite's other files share two cores. The limit guards against a hang, not speed.
describe('embedded database', { timeout: 120_000 }, () => {
  it('keeps data across a close and reopen of its folder', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createOrg, findOrgBySlug } = await import('../auth/orgs.js');
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-db-'));
    try {
      const first = await openDatabase({ dataDir });
      await first.migrate();
      await createOrg(first.db, { name: 'Persisted', plan: 'free' });
      await first.close();
      const second = await openDatabase({ dataDir });
      await second.migrate();
      expect((await findOrgBySlug(second.db, 'persisted'))?.name).toBe('Persisted');
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('embedded database thread', () => {
  it('runs queries off the event loop: the server keeps turning while a query works', async () => {
    const handle = await openDatabase({});
    try {
      let turns = 0;
      let querying = true;
      const spin = () => {
        turns += 1;
        if (querying) setImmediate(spin);
      };
      const query = handle.db.execute(sql`select pg_sleep(0.3)`);
      setImmediate(spin);
      await query;
      querying = false;
      // On the event loop, PGlite's WASM would hold the thread for the whole query: no turn at all.
      expect(turns).toBeGreaterThan(10);
    } finally {
      await handle.close();
    }
  });

  it('refuses queries with an error once closed, instead of hanging', async () => {
    const handle = await openDatabase({});
    await handle.close();
    await expect(handle.db.execute(sql`select 1`)).rejects.toThrow();
  });

  it('rolls back a failed transaction and goes on serving the next caller', async () => {
    const handle = await openDatabase({});
    try {
      await handle.db.execute(sql`create table kept (value int)`);
      // A transaction that fails mid-way is rolled back and the connection goes on working.
      await expect(
        handle.db.transaction(async (transaction) => {
          await transaction.execute(sql`insert into kept values (1)`);
          await transaction.execute(sql`select * from no_such_table`);
        }),
      ).rejects.toThrow(/no_such_table/);
      const rows = (await handle.db.execute(sql`select count(*)::int as count from kept`)) as unknown as {
        rows: { count: number }[];
      };
      expect(rows.rows[0]?.count).toBe(0);
    } finally {
      await handle.close();
    }
  });
});
