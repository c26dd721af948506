import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type TestContext } from '../../test/test-app.js';
import { type RunQuery, takeCensus } from './table-census.js';

let context: TestContext;
let query: RunQuery;
let client: pg.Client | undefined;

beforeAll(async () => {
  context = await createTestApp();
  await signUp(context.app, { orgName: 'Census' });
  // One session throughout: the settings under test belong to it (PGlite has only one).
  const { databaseUrl, database } = context.backends;
  if (databaseUrl) {
    const session = new pg.Client({ connectionString: databaseUrl });
    await session.connect();
    client = session;
    query = async (text) => (await session.query(text)).rows;
  } else
    query = async (text) =>
      ((await database.db.execute(sql.raw(text))) as unknown as { rows: Record<string, unknown>[] }).rows;
});
afterAll(async () => {
  await client?.end();
  await context?.close();
});

describe('takeCensus', () => {
  it('gives the same checksums whatever the session time zone and date style, and leaves them as they were', async () => {
    await query(`set timezone to 'UTC'`);
    const inUtc = await takeCensus(query);
    await query(`set timezone to 'America/New_York'`);
    await query(`set datestyle to 'SQL, DMY'`);
    const elsewhere = await takeCensus(query);
    expect(elsewhere).toEqual(inUtc);
    expect(inUtc.find((table) => table.table === 'public.users')?.rows).toBe(1);
    const [zone] = await query('show timezone');
    const [style] = await query('show datestyle');
    expect(zone?.TimeZone).toBe('America/New_York');
    expect(style?.DateStyle).toBe('SQL, DMY');
    await query(`set timezone to 'UTC'`);
    await query(`set datestyle to 'ISO, MDY'`);
  });
});
