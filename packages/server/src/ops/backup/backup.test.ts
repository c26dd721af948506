import { mkdtempSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND } from '../../../test/backend.js';
import { createKey, createTestApp, signUp, TEST_SECRET_KEY, type TestContext } from '../../../test/test-app.js';
import type { DatabaseHandle } from '../../db/client.js';
import { type TableCensus, takeCensus, totalRows } from '../table-census.js';
import { type BackupTarget, createBackup, restoreBackup } from './backup.js';
import { BackupError, readBackupHeader, writeBackupFile } from './backup-file.js';
import { pruneBackups } from './backup-retention.js';

/**
 * Backup and restore round-trip on this run's backend: fill a database through the API, back it up,
 * wipe it, restore it, and compare every table's rows and checksum with what was there.
 */
const folder = mkdtempSync(join(tmpdir(), 'switchyard-backup-'));
const dataDir = join(folder, 'data');
const backups = join(folder, 'backups');
let context: TestContext | undefined;
let target: BackupTarget;
let before: TableCensus[];
let owner: Awaited<ReturnType<typeof signUp>>;
const lines: string[] = [];
const progress = (line: string) => lines.push(line);

const censusOf = (database: DatabaseHandle) =>
  takeCensus(
    async (text) => ((await database.db.execute(sql.raw(text))) as unknown as { rows: Record<string, unknown>[] }).rows,
  );

async function serverCensus(url: string): Promise<TableCensus[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await takeCensus(async (text) => (await client.query(text)).rows);
  } finally {
    await client.end();
  }
}

/** Everything of ours gone, as after losing the database. */
async function wipe(): Promise<void> {
  if (!target.databaseUrl) {
    rmSync(join(dataDir, 'pglite'), { recursive: true, force: true });
    return;
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  await client.query('drop schema public cascade; create schema public; drop schema if exists drizzle cascade');
  await client.end();
}

/** The embedded database's census, read by opening it (it must be whole and openable). */
async function restoreCheckEmbedded(): Promise<TableCensus[]> {
  const reopened = await createTestApp({ dataDir });
  try {
    return await censusOf(reopened.backends.database);
  } finally {
    await reopened.close();
  }
}

const currentCensus = () => (target.databaseUrl ? serverCensus(target.databaseUrl) : undefined);

beforeAll(async () => {
  context = await createTestApp({ dataDir });
  const { app } = context;
  owner = await signUp(app, { orgName: 'Backed Up' });
  const key = await createKey(owner.client, { name: 'app' });
  for (const content of ['first', 'second', 'third']) {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${key.secret}` },
      payload: { model: 'mock/echo', messages: [{ role: 'user', content }] },
    });
    expect(response.statusCode).toBe(200);
  }
  const ingest = await app.inject({
    method: 'POST',
    url: '/v1/ingest',
    headers: { authorization: `Bearer ${key.secret}` },
    payload: {
      batch: [
        { id: 'e1', type: 'trace-create', timestamp: new Date().toISOString(), body: { id: 't1', name: 'rag' } },
        {
          id: 'e2',
          type: 'observation-create',
          timestamp: new Date().toISOString(),
          body: { id: 'o1', traceId: 't1', type: 'span', name: 'retrieve', startTime: new Date().toISOString() },
        },
        {
          id: 'e3',
          type: 'score-create',
          timestamp: new Date().toISOString(),
          body: { id: 's1', traceId: 't1', name: 'ok', value: 1 },
        },
      ],
    },
  });
  expect(ingest.statusCode).toBe(207);
  const provider = await owner.client.request('POST', '/api/providers', {
    name: 'house',
    kind: 'openai-compatible',
    baseUrl: 'http://127.0.0.1:9/v1',
    apiKey: 'sk-house',
  });
  expect(provider.statusCode).toBe(201);
  // Stopped as a server stops (its last writes land at shutdown), so the data is still while it is copied.
  await app.close();
  before = await censusOf(context.backends.database);
  target = { databaseUrl: context.backends.databaseUrl, dataDir, secretKey: TEST_SECRET_KEY };
  // The embedded database belongs to one process at a time: let go of it, as a stopped server does.
  if (BACKEND === 'embedded') {
    await context.close();
    context = undefined;
  }
}, 120_000);

afterAll(async () => {
  await context?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe(`backup and restore (${BACKEND})`, { timeout: 120_000 }, () => {
  let file: string;

  it('backs up every table into one file whose manifest lists what it holds', async () => {
    const result = await createBackup({ target, out: `${backups}/`, now: new Date(), progress });
    file = result.file;
    expect(file).toMatch(/switchyard-.*\.backup$/);
    const { manifest } = await readBackupHeader(file);
    expect(manifest.backend).toBe(BACKEND === 'embedded' ? 'embedded' : 'postgres');
    expect(manifest.tables).toEqual(before);
    expect(totalRows(manifest.tables)).toBeGreaterThan(10);
    expect(manifest.secretKeyFingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(lines.some((line) => /\[\d+\/\d+\] public\.observations/.test(line))).toBe(true);
  });

  it('refuses to restore over a database that holds data, unless forced', async () => {
    if (BACKEND === 'embedded') writeFileSync(join(dataDir, 'secret.key'), `${TEST_SECRET_KEY}\n`);
    await expect(restoreBackup({ target, file, force: false, progress })).rejects.toThrow(/not empty.*--force/);
  });

  it('restores a wiped database to exactly what was backed up', async () => {
    await wipe();
    const { census, warnings } = await restoreBackup({ target, file, force: false, progress });
    expect(census).toEqual(before);
    expect(warnings).toEqual([]);
    // Counted again from outside the restore's own check.
    const after = (await currentCensus()) ?? census;
    expect(after).toEqual(before);
  });

  it('the restored database serves the same users and data', async () => {
    // Embedded: a new server reopens the folder. A server database: a new replica on it.
    const reopened = BACKEND === 'embedded' ? await createTestApp({ dataDir }) : undefined;
    const serving = reopened ?? context;
    if (!serving) throw new Error('no test app holds the restored database');
    try {
      expect(await censusOf(serving.backends.database)).toEqual(before);
      const app = reopened ? reopened.app : await serving.replica();
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: owner.email, password: owner.password },
      });
      expect(login.statusCode).toBe(200);
    } finally {
      await reopened?.close();
    }
  });

  it('restores over data with --force and warns when the secret key differs', async () => {
    const { census, warnings } = await restoreBackup({
      target: { ...target, secretKey: 'another-secret-key-0123456789abcdef0123' },
      file,
      force: true,
      progress,
    });
    expect(census).toEqual(before);
    expect(warnings.join()).toMatch(/SWITCHYARD_SECRET_KEY/);
  });

  it('rejects a damaged backup before touching the database', async () => {
    const damaged = join(folder, 'damaged.backup');
    writeFileSync(damaged, readFileSync(file));
    truncateSync(damaged, readFileSync(file).length - 100);
    await expect(restoreBackup({ target, file: damaged, force: true, progress })).rejects.toThrow(
      /damaged: its dump has \d+ bytes/,
    );
    const notBackup = join(folder, 'notes.backup');
    writeFileSync(notBackup, 'hello');
    await expect(restoreBackup({ target, file: notBackup, force: true, progress })).rejects.toThrow(BackupError);
    const after = (await currentCensus()) ?? before;
    expect(after).toEqual(before);
  });

  it('a dump that fails half-way leaves the database as it was', async () => {
    const { manifest, payloadOffset } = await readBackupHeader(file);
    const garbage = join(folder, 'garbage.dump');
    // The real dump's first 60%, then noise: it passes the checksum, and fails part-way through restoring.
    const cut = payloadOffset + Math.floor(manifest.payloadBytes * 0.6);
    writeFileSync(garbage, Buffer.concat([readFileSync(file).subarray(payloadOffset, cut), Buffer.alloc(4_000, 7)]));
    const broken = join(folder, 'broken.backup');
    await writeBackupFile({ out: broken, payloadFile: garbage, manifest });
    const failure = await restoreBackup({ target, file: broken, force: true, progress }).catch((error) => error);
    expect(String(failure)).toMatch(/could not be unpacked.*left as it was|pg_restore failed/);
    const after = (await currentCensus()) ?? (await restoreCheckEmbedded());
    expect(after).toEqual(before);
  });

  it('keeps --keep-days of backups and deletes nothing that is not one', async () => {
    const now = new Date();
    const old = join(backups, 'switchyard-old.backup');
    writeFileSync(old, readFileSync(file).subarray(0, 64));
    const stranger = join(backups, 'someone-else.backup');
    writeFileSync(stranger, 'not ours');
    const tenDaysAgo = new Date(now.getTime() - 10 * 24 * 3600_000);
    utimesSync(old, tenDaysAgo, tenDaysAgo);
    utimesSync(stranger, tenDaysAgo, tenDaysAgo);
    const removed = await pruneBackups({ directory: backups, keepDays: 7, keep: file, now });
    expect(removed).toEqual([old]);
    expect(readFileSync(stranger, 'utf8')).toBe('not ours');
    expect(readFileSync(file).length).toBeGreaterThan(100);
  });
});
