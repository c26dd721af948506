import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.js';

/**
 * The org's rows whose `column` is one of `values`, looked up one value at a time through the index
 * that leads with (org_id, column). A plain `= any(…)` lets the planner pick another org_id index and
 * filter thousands of rows by a linear array search while table statistics lag behind (300 ms for
 * 8,000 rows against 3 ms for this). A lateral join alone is flattened into a hash join over all of
 * the org's rows (38 ms against 4.5 ms for 1,500 ids); `offset 0` keeps it a lookup per value.
 */
export async function selectByValues<TTable extends PgTable>(options: {
  db: Database;
  table: TTable;
  orgId: string;
  column: PgColumn;
  values: Iterable<string>;
  orderBy?: PgColumn;
}): Promise<TTable['$inferSelect'][]> {
  const { db, table, column } = options;
  const values = [...options.values];
  if (values.length === 0) return [];
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const result = (await db.execute(sql`
    select found.* from json_array_elements_text(${JSON.stringify(values)}::json) as wanted(value)
    cross join lateral (
      select * from ${sql.raw(quote(getTableName(table)))} row
      where row.org_id = ${options.orgId} and row.${sql.raw(quote(column.name))} = wanted.value
      offset 0
    ) found
    ${options.orderBy ? sql`order by found.${sql.raw(quote(options.orderBy.name))}` : sql``}`)) as {
    rows: Record<string, unknown>[];
  };
  const columns = Object.entries(getTableColumns(table));
  return result.rows.map((raw) => {
    const row: Record<string, unknown> = {};
    for (const [key, tableColumn] of columns) {
      const value = raw[tableColumn.name];
      row[key] = value === null || value === undefined ? null : tableColumn.mapFromDriverValue(value);
    }
    return row as TTable['$inferSelect'];
  });
}
