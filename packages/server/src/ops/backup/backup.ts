import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { type DatabaseHandle, openDatabase } from '../../db/client.js';
import { serverPackageRoot } from '../../package-root.js';
import { parseJson } from '../../parse-json.js';
import { compareCensus, type TableCensus, totalRows } from '../table-census.js';
import { BackupError, type BackupManifest, readBackupHeader, verifyPayload, writeBackupFile } from './backup-file.js';
import { pruneBackups } from './backup-retention.js';
import { dumpEmbedded, existingEmbeddedRows, restoreEmbedded } from './embedded-backup.js';
import { restoreEmbeddedIntoServer } from './embedded-to-server.js';
import { dumpPostgres, existingPostgresRows, type Progress, restorePostgres } from './postgres-backup.js';

/**
 * Which database to back up or restore: a server's URL, or else the embedded one in `dataDir`, which
 * a running server passes as its open `database`.
 */
export type BackupTarget = {
  databaseUrl: string | undefined;
  dataDir: string;
  secretKey: string | undefined;
  database?: DatabaseHandle;
};

const CREDENTIALS_TABLE = 'public.provider_credentials';

/** The key on a server's command line, or the one an embedded install generated into DATA_DIR. */
function currentSecretKey(target: BackupTarget): string | undefined {
  if (target.secretKey) return target.secretKey;
  const file = join(target.dataDir, 'secret.key');
  return target.databaseUrl || !existsSync(file) ? undefined : readFileSync(file, 'utf8').trim();
}

const fingerprint = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 16);

const packageVersionSchema = z.object({ version: z.string() });

function switchyardVersion(): string {
  const text = readFileSync(join(serverPackageRoot(), 'package.json'), 'utf8');
  return parseJson({ text, schema: packageVersionSchema }).version;
}

/** `--out` may name a folder: the backup is then named for its time, so scheduled runs never collide. */
function resolveOut(out: string, now: Date): string {
  const isFolder = out.endsWith('/') || (existsSync(out) && statSync(out).isDirectory());
  if (!isFolder) return out;
  return join(out, `switchyard-${now.toISOString().replace(/[:.]/g, '-')}.backup`);
}

export async function createBackup(options: {
  target: BackupTarget;
  out: string;
  keepDays?: number;
  now: Date;
  progress: Progress;
}): Promise<{ file: string; manifest: BackupManifest; pruned: string[] }> {
  const { target, progress } = options;
  const file = resolveOut(options.out, options.now);
  mkdirSync(dirname(file), { recursive: true });
  const payloadFile = `${file}.dump.partial`;
  try {
    const { census, databaseVersion } = target.databaseUrl
      ? await dumpPostgres({ url: target.databaseUrl, payloadFile, progress })
      : await dumpEmbedded({ dataDir: target.dataDir, database: target.database, payloadFile, progress });
    const hasCredentials = (census.find((table) => table.table === CREDENTIALS_TABLE)?.rows ?? 0) > 0;
    const key = hasCredentials ? currentSecretKey(target) : undefined;
    progress('Writing the backup file…');
    const manifest = await writeBackupFile({
      out: file,
      payloadFile,
      manifest: {
        backend: target.databaseUrl ? 'postgres' : 'embedded',
        payload: target.databaseUrl ? 'pg_dump-custom' : 'pglite-data-dir.tar.gz',
        createdAt: options.now.toISOString(),
        switchyardVersion: switchyardVersion(),
        databaseVersion,
        secretKeyFingerprint: key ? fingerprint(key) : null,
        tables: census,
      },
    });
    const pruned =
      options.keepDays === undefined
        ? []
        : await pruneBackups({ directory: dirname(file), keepDays: options.keepDays, keep: file, now: options.now });
    return { file, manifest, pruned };
  } finally {
    await rm(payloadFile, { force: true });
  }
}

export async function restoreBackup(options: {
  target: BackupTarget;
  file: string;
  force: boolean;
  progress: Progress;
}): Promise<{ manifest: BackupManifest; census: TableCensus[]; warnings: string[] }> {
  const { target, file, progress } = options;
  const header = await readBackupHeader(file);
  const { manifest } = header;
  const backend = target.databaseUrl ? 'postgres' : 'embedded';
  // An embedded backup may move into a server (a deployment outgrowing one process); a pg_dump
  // cannot go into PGlite, which has no pg_restore.
  if (manifest.backend === 'postgres' && backend === 'embedded')
    throw new BackupError(
      `${file} is a backup of a Postgres server (pg_dump): restore it with DATABASE_URL set to a server.`,
    );
  progress(`Verifying ${file} (${manifest.tables.length} tables, ${totalRows(manifest.tables)} rows)…`);
  await verifyPayload(file, header);

  const existing = target.databaseUrl
    ? await existingPostgresRows(target.databaseUrl)
    : await existingEmbeddedRows(target.dataDir);
  if (existing > 0 && !options.force)
    throw new BackupError(
      `The ${backend} database is not empty (${existing} rows). Restoring replaces everything in it; run again with --force to do that.`,
    );

  const verify = (census: TableCensus[]) => {
    const problems = compareCensus(manifest.tables, census);
    if (problems.length)
      throw new BackupError(`The restored data does not match the backup:\n  ${problems.join('\n  ')}`);
  };
  let census: TableCensus[];
  if (target.databaseUrl && manifest.backend === 'embedded') {
    census = await restoreEmbeddedIntoServer({
      url: target.databaseUrl,
      file,
      payloadOffset: header.payloadOffset,
      progress,
      verify,
    });
  } else if (target.databaseUrl) {
    census = await restorePostgres({
      url: target.databaseUrl,
      file,
      payloadOffset: header.payloadOffset,
      tableCount: manifest.tables.length,
      progress,
    });
    verify(census);
    progress('Applying any newer migrations…');
    const database = await openDatabase({ url: target.databaseUrl, poolMax: 1 });
    await database.migrate().finally(() => database.close());
  } else {
    census = await restoreEmbedded({
      dataDir: target.dataDir,
      file,
      payloadOffset: header.payloadOffset,
      progress,
      verify,
    });
  }

  const warnings: string[] = [];
  const key = currentSecretKey(target);
  if (manifest.secretKeyFingerprint && (!key || fingerprint(key) !== manifest.secretKeyFingerprint))
    warnings.push(
      'Provider credentials in this backup were encrypted under another SWITCHYARD_SECRET_KEY: set the key the ' +
        'backed-up server used (for an embedded install, its DATA_DIR/secret.key), or enter the provider keys again.',
    );
  return { manifest, census, warnings };
}
