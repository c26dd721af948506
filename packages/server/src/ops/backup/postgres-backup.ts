import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import pg from 'pg';
import { listTables, quoteTable, type RunQuery, rowsOfData, type TableCensus, takeCensus } from '../table-census.js';
import { connectionFor, finished, requireTool } from './postgres-tools.js';

/** Progress lines for the person running the command. */
export type Progress = (line: string) => void;

const clientQuery =
  (client: pg.Client): RunQuery =>
  async (text) =>
    (await client.query(text)).rows;

/** `[3/14] public.traces` as a dump or restore reaches each table. */
function tableProgress(progress: Progress, total: number, pattern: RegExp) {
  let done = 0;
  return (line: string) => {
    const table = pattern.exec(line)?.[1];
    if (table) progress(`  [${++done}/${total}] ${table}`);
  };
}

/**
 * Dumps a Postgres server's database with pg_dump (custom format, compressed). The row counts and
 * checksums are taken in the same snapshot pg_dump reads, so they describe exactly what it wrote,
 * even while the server keeps writing.
 */
export async function dumpPostgres(options: {
  url: string;
  payloadFile: string;
  progress: Progress;
}): Promise<{ census: TableCensus[]; databaseVersion: string }> {
  const { progress } = options;
  requireTool('pg_dump');
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const snapshot = (await client.query('select pg_export_snapshot() as id')).rows[0].id as string;
    const databaseVersion = `PostgreSQL ${(await client.query('show server_version')).rows[0].server_version}`;
    progress(`Counting rows in ${databaseVersion}…`);
    const census = await takeCensus(clientQuery(client));
    progress(`Dumping ${census.length} tables with pg_dump:`);
    const { dbname, env } = connectionFor(options.url);
    const dump = spawn(
      'pg_dump',
      [
        '--format=custom',
        '--compress=6',
        '--no-owner',
        '--no-privileges',
        '--verbose',
        `--snapshot=${snapshot}`,
        `--file=${options.payloadFile}`,
        `--dbname=${dbname}`,
      ],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    await finished(dump, 'pg_dump', tableProgress(progress, census.length, /dumping contents of table "([^"]+)"/));
    await client.query('commit');
    return { census, databaseVersion };
  } finally {
    await client.end();
  }
}

/** Rows of data a database already holds (an unmigrated or only migrated one has none). */
export async function existingPostgresRows(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await rowsOfData(clientQuery(client));
  } finally {
    await client.end();
  }
}

/**
 * Replaces the database's tables with a dump's, in one transaction: pg_restore turns the dump into
 * SQL, and psql runs it after dropping our tables (only ours: a managed server's schemas stay as they
 * are), all or nothing. A failure leaves the database as it was.
 */
export async function restorePostgres(options: {
  url: string;
  file: string;
  payloadOffset: number;
  tableCount: number;
  progress: Progress;
}): Promise<TableCensus[]> {
  const { progress } = options;
  requireTool('pg_restore');
  requireTool('psql');
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  try {
    const dropTables = (await listTables(clientQuery(client)))
      .map((table) => `drop table if exists ${quoteTable(table)} cascade;\n`)
      .join('');
    const { dbname, env } = connectionFor(options.url);
    const restore = spawn('pg_restore', ['--no-owner', '--no-privileges', '--verbose', '--file=-'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const psql = spawn('psql', ['--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1', `--dbname=${dbname}`], {
      env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    // A program that dies closes its stdin under us; its exit status reports why.
    psql.stdin.on('error', () => {});
    restore.stdin.on('error', () => {});
    // Our own transaction: "commit" is sent only once pg_restore has produced the whole script, so a
    // dump that fails half-way is rolled back when psql's input ends without it.
    psql.stdin.write(`begin;\n${dropTables}drop schema if exists drizzle cascade;\n`);
    restore.stdout.pipe(psql.stdin, { end: false });
    createReadStream(options.file, { start: options.payloadOffset }).pipe(restore.stdin);
    progress(`Restoring ${options.tableCount} tables with pg_restore and psql (one transaction):`);
    const restoring = finished(
      restore,
      'pg_restore',
      tableProgress(progress, options.tableCount, /processing data for table "([^"]+)"/),
    );
    const applying = finished(psql, 'psql');
    applying.catch(() => restore.kill());
    restoring.then(
      () => psql.stdin.end('commit;\n'),
      () => psql.kill(),
    );
    await Promise.all([restoring, applying]);
    progress('Checking every table against the backup…');
    return await takeCensus(clientQuery(client));
  } finally {
    await client.end();
  }
}
