import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKEND, createDatabase, TEST_DATABASE_URL } from '../../../test/backend.js';
import {
  createKey,
  createTestApp,
  ManualClock,
  signUp,
  TEST_PASSWORD_COST,
  TEST_SECRET_KEY,
} from '../../../test/test-app.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { type DatabaseHandle, openDatabase } from '../../db/client.js';
import { createMemoryKv } from '../../kv/memory.js';
import { type TableCensus, takeCensus } from '../table-census.js';
import { createBackup, restoreBackup } from './backup.js';
import { writeBackupFile } from './backup-file.js';

/** An embedded install outgrowing one process: its backup restored into a Postgres server. */
const folder = mkdtempSync(join(tmpdir(), 'switchyard-move-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const progress = () => {};

const publicCensus = async (database: DatabaseHandle): Promise<TableCensus[]> =>
  (
    await takeCensus(
      async (text) =>
        ((await database.db.execute(sql.raw(text))) as unknown as { rows: Record<string, unknown>[] }).rows,
    )
  ).filter((table) => table.table.startsWith('public.'));

/** A server on the moved database: the owner logs in with the same password and finds the traces. */
async function expectServedFrom(url: string, owner: { email: string; password: string }, traceIds: string[]) {
  const clock = new ManualClock();
  const database = await openDatabase({ url, poolMax: 2 });
  const app = await buildApp({
    config: { ...loadConfig({ LOG_LEVEL: 'silent' }), secretKey: TEST_SECRET_KEY },
    database,
    kv: createMemoryKv({ clock }),
    clock,
    passwordCost: TEST_PASSWORD_COST,
  });
  try {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: owner.email, password: owner.password },
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.map((each) => `${each.name}=${each.value}`).join('; ');
    const traces = await app.inject({ method: 'GET', url: '/api/traces', headers: { cookie } });
    expect(
      traces
        .json()
        .data.map((trace: { id: string }) => trace.id)
        .sort(),
    ).toEqual(traceIds);
  } finally {
    await app.close();
    await database.close();
  }
}

// Each backend checks what it can: the move needs a server; without one, the other direction is refused.
if (BACKEND === 'services')
  describe('moving an embedded backup into a Postgres server', { timeout: 180_000 }, () => {
    it('copies every table, checks it, and the server then serves the same users and traces', async () => {
      const dataDir = join(folder, 'embedded');
      const embedded = await createTestApp({ dataDir, embedded: true });
      const owner = await signUp(embedded.app, { orgName: 'Growing' });
      const key = await createKey(owner.client, { name: 'app', budgetUsd: 5, budgetPeriod: 'month' });
      for (const content of ['one', 'two'])
        await embedded.app.inject({
          method: 'POST',
          url: '/v1/chat/completions',
          headers: { authorization: `Bearer ${key.secret}`, 'x-switchyard-trace-id': `move-${content}` },
          payload: { model: 'mock/echo', messages: [{ role: 'user', content }] },
        });
      await owner.client.request('POST', '/api/alerts', {
        name: 'Budget',
        condition: { metric: 'key_budget', thresholdPercent: 80 },
      });
      await embedded.app.close();
      const before = await publicCensus(embedded.backends.database);
      await embedded.close();
      const { file } = await createBackup({
        target: { databaseUrl: undefined, dataDir, secretKey: TEST_SECRET_KEY },
        out: join(folder, 'embedded.backup'),
        now: new Date(),
        progress,
      });

      const server = await createDatabase(String(TEST_DATABASE_URL));
      try {
        const target = { databaseUrl: server.url, dataDir: join(folder, 'unused'), secretKey: TEST_SECRET_KEY };
        const { census } = await restoreBackup({ target, file, force: false, progress });
        expect(census).toEqual(before);
        await expectServedFrom(server.url, owner, ['move-one', 'move-two']);

        // Restoring again would replace data: refused without --force, then done with it.
        await expect(restoreBackup({ target, file, force: false, progress })).rejects.toThrow(/not empty/);
        expect((await restoreBackup({ target, file, force: true, progress })).census).toEqual(before);
      } finally {
        await server.drop();
      }
    });
  });
else
  describe('restoring a Postgres server backup into the embedded database', () => {
    it('is refused, saying where it can go', async () => {
      const payload = join(folder, 'dump');
      writeFileSync(payload, 'PGDMP');
      const file = join(folder, 'server.backup');
      await writeBackupFile({
        out: file,
        payloadFile: payload,
        manifest: {
          backend: 'postgres',
          payload: 'pg_dump-custom',
          createdAt: new Date().toISOString(),
          switchyardVersion: '0.1.0',
          databaseVersion: 'PostgreSQL 16',
          secretKeyFingerprint: null,
          tables: [],
        },
      });
      await expect(
        restoreBackup({
          target: { databaseUrl: undefined, dataDir: join(folder, 'data'), secretKey: TEST_SECRET_KEY },
          file,
          force: false,
          progress,
        }),
      ).rejects.toThrow(/backup of a Postgres server \(pg_dump\): restore it with DATABASE_URL/);
    });
  });
