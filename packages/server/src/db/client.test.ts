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

describe('embedded database', () => {
  it('keeps data across a close and reopen of its folder', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createOrg, findOrgBySlug } = await import('../auth/orgs.js');
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-db-'));
    try {
      const first = await openDatabase({ dataDir });
      await first.migrate();
      await createOrg(first.db, { name: 'Persisted' });
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
