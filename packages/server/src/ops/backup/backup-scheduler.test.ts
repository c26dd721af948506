import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND } from '../../../test/backend.js';
import { createKey, createTestApp, signUp, TEST_SECRET_KEY, type TestContext } from '../../../test/test-app.js';
import { restoreBackup } from './backup.js';
import { readBackupHeader } from './backup-file.js';

/** BACKUP_DIR: the running server backs up its embedded database on a schedule, while it serves. */
const folder = mkdtempSync(join(tmpdir(), 'switchyard-scheduled-'));
const backupDir = join(folder, 'backups');
let context: TestContext;
let owner: Awaited<ReturnType<typeof signUp>>;
let secret: string;

const chat = (content: string) =>
  context.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${secret}` },
    payload: { model: 'mock/echo', messages: [{ role: 'user', content }] },
  });

const backupFiles = () =>
  existsSync(backupDir) ? readdirSync(backupDir).filter((name) => name.endsWith('.backup')) : [];

beforeAll(async () => {
  context = await createTestApp({
    dataDir: join(folder, 'data'),
    env: { BACKUP_DIR: backupDir, BACKUP_KEEP_DAYS: '7' },
  });
  owner = await signUp(context.app, { orgName: 'Scheduled' });
  secret = (await createKey(owner.client, { name: 'app' })).secret;
  expect((await chat('before the backup')).statusCode).toBe(200);
  await context.app.services.batchWriter.flush();
}, 120_000);

afterAll(async () => {
  await context?.close();
  rmSync(folder, { recursive: true, force: true });
});

// Each backend has its own behaviour to check: the cases are chosen by it, so none is reported skipped.
if (BACKEND === 'services')
  describe('scheduled backups on a Postgres server', () => {
    it('are not taken in the server: cron and "switchyard backup" do it', () => {
      expect(context.app.services.backups).toBeUndefined();
    });
  });
else
  describe('scheduled backups of the embedded database', { timeout: 120_000 }, () => {
    it('writes a backup while the server keeps answering', async () => {
      const scheduler = context.app.services.backups;
      expect(scheduler).toBeDefined();
      const [, during] = await Promise.all([scheduler?.runOnce(), chat('during the backup')]);
      expect(during.statusCode).toBe(200);
      const files = backupFiles();
      expect(files).toHaveLength(1);
      const { manifest } = await readBackupHeader(join(backupDir, files[0] ?? ''));
      expect(manifest.backend).toBe('embedded');
      expect(manifest.tables.find((table) => table.table === 'public.organizations')?.rows).toBe(1);
      const metrics = await context.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/switchyard_backups_total\{outcome="success"\} 1/);
    });

    it('restores into a new data directory with everything it counted', async () => {
      const [file = ''] = backupFiles();
      const restoredDir = join(folder, 'restored');
      const { census } = await restoreBackup({
        target: { databaseUrl: undefined, dataDir: restoredDir, secretKey: TEST_SECRET_KEY },
        file: join(backupDir, file),
        force: false,
        progress: () => {},
      });
      expect(census.find((table) => table.table === 'public.observations')?.rows).toBeGreaterThanOrEqual(1);
      const restored = await createTestApp({ dataDir: restoredDir });
      try {
        const login = await restored.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: owner.email, password: owner.password },
        });
        expect(login.statusCode).toBe(200);
      } finally {
        await restored.close();
      }
    });

    it('deletes its backups older than BACKUP_KEEP_DAYS', async () => {
      const [first] = backupFiles();
      context.clock.advance(8 * 24 * 3600_000);
      await context.app.services.backups?.runOnce();
      const files = backupFiles();
      expect(files).toHaveLength(1);
      expect(files[0]).not.toBe(first);
    });
  });
