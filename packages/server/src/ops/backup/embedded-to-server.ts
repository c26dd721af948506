import pg from 'pg';
import { openDatabase } from '../../db/client.js';
import { compareCensus, listTables, quoteTable, type RunQuery, type TableCensus, takeCensus } from '../table-census.js';
import { BackupError } from './backup-file.js';
import type { Progress } from './postgres-backup.js';

const BATCH_ROWS = 2_000;

const ours = (census: TableCensus[]) => census.filter((table) => table.table.startsWith('public.'));

/** Tables with the ones they reference first, so rows go in without breaking a foreign key. */
async function inDependencyOrder(query: RunQuery, tables: string[]): Promise<string[]> {
  const edges = await query(
    `select child.relname as child, parent.relname as parent
     from pg_constraint c
     join pg_class child on child.oid = c.conrelid
     join pg_class parent on parent.oid = c.confrelid
     join pg_namespace n on n.oid = child.relnamespace
     where c.contype = 'f' and n.nspname = 'public' and c.conrelid <> c.confrelid`,
  );
  const parents = new Map<string, Set<string>>(tables.map((table) => [table, new Set()]));
  for (const edge of edges) parents.get(`public.${edge.child}`)?.add(`public.${edge.parent}`);
  const ordered: string[] = [];
  const visit = (table: string, path: Set<string>) => {
    if (ordered.includes(table) || path.has(table)) return;
    path.add(table);
    for (const parent of parents.get(table) ?? []) visit(parent, path);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

/**
 * Moves an embedded backup into a Postgres server, for a deployment outgrowing one process: PGlite
 * opens the tarball in memory and is migrated to this version, then every table of ours is copied
 * into the (migrated) server in one transaction that first empties them. The server's census must
 * equal the embedded one before it commits.
 */
export async function restoreEmbeddedIntoServer(options: {
  url: string;
  file: string;
  payloadOffset: number;
  progress: Progress;
  /** Checks the backup as it opened, before migrations: throws if it is not what the manifest says. */
  verify(census: TableCensus[]): void;
}): Promise<TableCensus[]> {
  const { progress } = options;
  progress('Opening the embedded database from the backup (in memory)…');
  const source = await openDatabase({ loadDataDir: { file: options.file, offset: options.payloadOffset } }).catch(
    (error: Error) => {
      throw new BackupError(`The backup's data directory could not be unpacked (${error.message}).`);
    },
  );
  try {
    if (!source.withSnapshot) throw new BackupError('The backup did not open as an embedded database.');
    options.verify(await source.withSnapshot((session) => takeCensus(session.query)));
    await source.migrate();
    const target = await openDatabase({ url: options.url, poolMax: 1 });
    await target.migrate().finally(() => target.close());
    return await source.withSnapshot(async (session) => {
      const expected = ours(await takeCensus(session.query));
      const client = new pg.Client({ connectionString: options.url });
      await client.connect();
      const write: RunQuery = async (text) => (await client.query(text)).rows;
      try {
        await client.query('begin');
        const tables = await inDependencyOrder(
          write,
          (await listTables(write)).filter((table) => table.startsWith('public.')),
        );
        await client.query(`truncate ${tables.map(quoteTable).join(', ')} cascade`);
        progress(`Copying ${tables.length} tables into the server (one transaction):`);
        for (const [index, table] of tables.entries()) {
          progress(`  [${index + 1}/${tables.length}] ${table}`);
          await copyTable(session.query, client, table);
        }
        progress('Checking every table against the backup…');
        const copied = ours(await takeCensus(write));
        const problems = compareCensus(expected, copied);
        if (problems.length)
          throw new BackupError(`The copied data does not match the backup:\n  ${problems.join('\n  ')}`);
        await client.query('commit');
        return copied;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        await client.end();
      }
    });
  } finally {
    await source.close();
  }
}

/** One table's rows, through a cursor on the embedded side, as JSON batches into the same table on the server. */
async function copyTable(read: RunQuery, client: pg.Client, table: string): Promise<void> {
  await read('begin');
  try {
    await read(`declare rows_out no scroll cursor for select row_to_json(t)::text as row from ${quoteTable(table)} t`);
    for (;;) {
      const batch = await read(`fetch ${BATCH_ROWS} from rows_out`);
      if (batch.length === 0) break;
      await client.query(
        `insert into ${quoteTable(table)} select * from json_populate_recordset(null::${quoteTable(table)}, $1::json)`,
        [`[${batch.map((row) => row.row).join(',')}]`],
      );
    }
  } finally {
    await read('commit');
  }
}
