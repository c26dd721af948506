import { getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client.js';

/**
 * Inserts many rows in one statement with a single JSON parameter, skipping rows whose key is
 * already stored, and returns the keys it did insert. Building a multi-row VALUES list through the
 * query builder costs a call per cell on the event loop (most of the gateway's CPU per request
 * under load); `JSON.stringify` is native and `jsonb_to_recordset` spreads the rows in Postgres.
 */
export type BulkInserter<TRow> = (db: Database, rows: readonly TRow[]) => Promise<{ orgId: string; id: string }[]>;

/** Builds the inserter for a table keyed by (org_id, id). Columns filled by the database (`defaultNow`) are left to it. */
export function bulkInserter<TRow extends object>(table: PgTable): BulkInserter<TRow> {
  const columns = Object.entries(getTableColumns(table)).filter(([, column]) => !is(column.default, SQL));
  // Literal defaults (`tags` = [], `level` = 'DEFAULT', …) are applied here: a missing JSON key would be NULL.
  const defaults = columns.flatMap(([key, column]) =>
    column.hasDefault && column.default !== undefined ? [[key, column.default] as const] : [],
  );
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const targetList = columns.map(([, column]) => quote(column.name)).join(', ');
  const selectList = columns.map(([key]) => `r.${quote(key)}`).join(', ');
  const recordType = columns.map(([key, column]) => `${quote(key)} ${column.getSQLType()}`).join(', ');
  const tableName = quote(getTableName(table));
  const statement = (json: string): SQL =>
    sql`insert into ${sql.raw(tableName)} (${sql.raw(targetList)})
      select ${sql.raw(selectList)} from jsonb_to_recordset(${json}::jsonb) as r(${sql.raw(recordType)})
      on conflict do nothing returning org_id as "orgId", id`;

  return async (db, rows) => {
    if (rows.length === 0) return [];
    const filled = rows.map((row) => {
      const record = row as Record<string, unknown>;
      if (defaults.every(([key]) => record[key] !== undefined)) return row;
      const copy = { ...record };
      for (const [key, value] of defaults) if (copy[key] === undefined) copy[key] = value;
      return copy;
    });
    const result = (await db.execute(statement(JSON.stringify(filled)))) as { rows: { orgId: string; id: string }[] };
    return result.rows;
  };
}
