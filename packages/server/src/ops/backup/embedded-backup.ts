import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { type DatabaseHandle, openDatabase } from '../../db/client.js';
import { lockDataDir } from '../../db/data-dir-lock.js';
import { type RunQuery, rowsOfData, type TableCensus, takeCensus } from '../table-census.js';
import { BackupError } from './backup-file.js';
import type { Progress } from './postgres-backup.js';

/** Where PGlite keeps its files inside DATA_DIR (see db/client.ts). */
const databaseFolder = (dataDir: string) => join(dataDir, 'pglite');

const hasDatabase = (dataDir: string) => {
  const folder = databaseFolder(dataDir);
  return existsSync(folder) && readdirSync(folder).length > 0;
};

const handleQuery =
  (database: DatabaseHandle): RunQuery =>
  async (text) =>
    ((await database.db.execute(sql.raw(text))) as unknown as { rows: Record<string, unknown>[] }).rows;

/**
 * Dumps the embedded database: PGlite's whole data directory as a gzipped tarball. From the CLI the
 * server must be stopped (it owns the folder; opening it fails naming the process); a running server
 * passes its own `database` (scheduled backups), whose session is held from the count to the dump.
 */
export async function dumpEmbedded(options: {
  dataDir: string;
  database?: DatabaseHandle;
  payloadFile: string;
  progress: Progress;
}): Promise<{ census: TableCensus[]; databaseVersion: string }> {
  if (!options.database && !hasDatabase(options.dataDir))
    throw new BackupError(`There is no embedded database in ${options.dataDir} (DATA_DIR) to back up.`);
  const database = options.database ?? (await openDatabase({ dataDir: options.dataDir }));
  try {
    if (!database.withSnapshot) throw new BackupError('This database is not the embedded one.');
    return await database.withSnapshot(async (session) => {
      const [version] = await session.query('show server_version');
      const databaseVersion = `PGlite (PostgreSQL ${version?.server_version})`;
      options.progress(`Counting rows in ${databaseVersion}…`);
      const census = await takeCensus(session.query, (table, index, total) =>
        options.progress(`  [${index + 1}/${total}] ${table}`),
      );
      options.progress('Dumping the data directory…');
      await writeFile(options.payloadFile, await session.dumpDataDir(), { mode: 0o600 });
      return { census, databaseVersion };
    });
  } finally {
    if (!options.database) await database.close();
  }
}

/** Rows in the embedded database now (0 when there is none). */
export async function existingEmbeddedRows(dataDir: string): Promise<number> {
  if (!hasDatabase(dataDir)) return 0;
  const database = await openDatabase({ dataDir });
  try {
    return await rowsOfData(handleQuery(database));
  } finally {
    await database.close();
  }
}

/**
 * Replaces the embedded database with a dumped one. The old folder is moved aside first and put
 * back if anything fails, so a bad restore never leaves DATA_DIR without a database. Returns the
 * restored census, taken before migrations run.
 */
export async function restoreEmbedded(options: {
  dataDir: string;
  file: string;
  payloadOffset: number;
  progress: Progress;
  /** Checks the restored tables; throws to undo the restore. */
  verify(census: TableCensus[]): void;
}): Promise<TableCensus[]> {
  mkdirSync(options.dataDir, { recursive: true });
  // Held from the first look to the last write: no server may start on the folder in between.
  const release = lockDataDir(options.dataDir);
  const folder = databaseFolder(options.dataDir);
  const aside = `${folder}.before-restore-${Date.now()}`;
  try {
    if (hasDatabase(options.dataDir)) await rename(folder, aside);
    else await rm(folder, { recursive: true, force: true });
    try {
      options.progress('Unpacking the data directory…');
      const database = await openDatabase({
        dataDir: options.dataDir,
        loadDataDir: { file: options.file, offset: options.payloadOffset },
      }).catch((error: Error) => {
        throw new BackupError(`The backup's data directory could not be unpacked (${error.message}).`);
      });
      try {
        options.progress('Checking every table against the backup…');
        const census = await takeCensus(handleQuery(database));
        options.verify(census);
        await database.migrate();
        return census;
      } finally {
        await database.close();
      }
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      if (existsSync(aside)) await rename(aside, folder);
      if (error instanceof BackupError) error.message += ` ${options.dataDir} was left as it was.`;
      throw error;
    }
  } finally {
    release();
    await rm(aside, { recursive: true, force: true });
  }
}
