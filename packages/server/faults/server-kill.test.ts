import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { AdminClient, firstRunKey, firstRunLogin, prepareOrg } from './admin-client.js';
import { countStored, type QueryRunner } from './database-counts.js';
import { recordFaultRow } from './fault-table.js';
import { freePort } from './free-port.js';
import { startIngestLoad } from './ingest-load.js';
import { type PostgresInstance, startPostgres } from './postgres-instance.js';
import { ensureStopped, FAULTS_SECRET_KEY, type ServerProcess, startServerProcess } from './server-process.js';
import { waitFor } from './wait-for.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

/**
 * `kill -9` of the server while ingest load runs, then a restart on the same database: every event
 * the server acknowledged must be stored exactly once (the load resends what it never heard back about).
 */
async function killDuringIngest(options: {
  name: string;
  env: Record<string, string>;
  /** Reads the database once the last server has stopped. */
  openQuery: () => Promise<{ query: QueryRunner; close(): Promise<void> }>;
}) {
  const port = await freePort();
  const env = { ...options.env, PORT: String(port) };
  let server: ServerProcess = await startServerProcess(env);
  cleanups.push(() => ensureStopped(server));
  const admin = new AdminClient(server.url, firstRunKey(server), firstRunLogin(server));
  const { orgId } = await prepareOrg(admin);

  const prefix = `kill-${options.name}`;
  const load = startIngestLoad({ url: server.url, apiKey: admin.adminKey, prefix, workers: 3, unitsPerBatch: 25 });
  await waitFor('acknowledged events before the kill', () => load.acknowledgedSoFar() >= 1_500);
  const killedBy = await server.kill();
  expect(killedBy).toBe('SIGKILL');
  const acknowledgedBeforeKill = load.acknowledgedSoFar();

  server = await startServerProcess(env);
  await waitFor(
    'acknowledged events after the restart',
    () => load.acknowledgedSoFar() >= acknowledgedBeforeKill + 1_500,
  );
  const totals = await load.finish();
  expect(await server.stop()).toBe(0);

  const database = await options.openQuery();
  const stored = await countStored({ query: database.query, orgId, prefix, acknowledged: totals.acknowledged }).finally(
    () => database.close(),
  );
  recordFaultRow({
    case: `kill -9 during ingest (${options.name})`,
    sent: totals.sent,
    acknowledged: totals.acknowledged.length,
    found: stored.found,
    notes: `${acknowledgedBeforeKill} acked before the kill; ${totals.resends} resent; answers ${JSON.stringify(totals.answers)}; rollups ${stored.rolledUp}/${stored.storedGenerations} generations`,
  });
  expect(totals.rejected).toEqual([]);
  expect(totals.undelivered).toBe(0);
  // Every event was acknowledged in the end (resends included), and every acknowledged one is stored…
  expect(totals.acknowledged.length).toBe(totals.sent);
  expect(stored.found).toBe(totals.acknowledged.length);
  // …once: a generation applied twice would count twice in the rollups.
  expect(stored.rolledUp).toBe(stored.storedGenerations);
  expect(stored.storedGenerations).toBe(totals.sent / 2);
}

describe('kill -9 of the server during ingest load', () => {
  it('on Postgres: every acknowledged event is stored exactly once after the restart', async () => {
    const postgres: PostgresInstance = await startPostgres();
    cleanups.push(() => postgres.destroy());
    await killDuringIngest({
      name: 'postgres',
      env: { DATABASE_URL: postgres.url, SWITCHYARD_SECRET_KEY: FAULTS_SECRET_KEY },
      openQuery: async () => ({ query: (text, values) => postgres.query(text, values), close: async () => {} }),
    });
  });

  it('on embedded PGlite: every acknowledged event is stored exactly once after the restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-faults-data-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    await killDuringIngest({
      name: 'pglite',
      env: { DATA_DIR: dataDir },
      openQuery: async () => {
        const database = await PGlite.create(join(dataDir, 'pglite'));
        return {
          query: async (text, values) => (await database.query(text, values)).rows as never,
          close: () => database.close(),
        };
      },
    });
  });
});
