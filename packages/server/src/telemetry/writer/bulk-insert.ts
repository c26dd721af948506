import { setImmediate as nextTurn } from 'node:timers/promises';
import { getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.js';

/**
 * Inserts many rows in one statement with a single JSON parameter, skipping rows whose key is
 * already stored, and returns the keys it did insert. Building a multi-row VALUES list through the
 * query builder costs a call per cell on the event loop (most of the gateway's CPU per request
 * under load); `JSON.stringify` is native and `json_to_recordset` spreads the rows in Postgres (`json`, not `jsonb`: the
 * parameter is parsed once, on the fly, instead of into a jsonb tree first — half the bind time).
 */
export type BulkInserter<TRow> = (db: Database, rows: readonly TRow[]) => Promise<{ orgId: string; id: string }[]>;

/**
 * Builds the inserter for a table keyed by (org_id, id). Columns filled by the database (`defaultNow`,
 * identities) are left to it. On a key already stored:
 * - `'ignore'` keeps the stored row; only new rows come back;
 * - `'update'` replaces the stored row's columns with the new row's (an upsert);
 * - `'fail'` fails the statement (Postgres 23505), for rows the caller knows are new: half the cost
 *   of the other two, which must each insert speculatively and report back.
 */
export function bulkInserter<TRow extends object>(
  table: PgTable,
  options: { onConflict: 'ignore' | 'update' | 'fail' } = { onConflict: 'ignore' },
): BulkInserter<TRow> {
  const columns = Object.entries(getTableColumns(table)).filter(
    ([, column]) => !is(column.default, SQL) && !column.generatedIdentity,
  );
  // Literal defaults (`tags` = [], `level` = 'DEFAULT', …) are applied here: a missing JSON key would be NULL.
  const defaults = columns.flatMap(([key, column]) =>
    column.hasDefault && column.default !== undefined ? [[key, column.default] as const] : [],
  );
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const targetList = columns.map(([, column]) => quote(column.name)).join(', ');
  const selectList = columns.map(([key]) => `r.${quote(key)}`).join(', ');
  const recordType = columns.map(([key, column]) => `${quote(key)} ${column.getSQLType()}`).join(', ');
  const tableName = quote(getTableName(table));
  const updateList = columns
    .filter(([, column]) => column.name !== 'org_id' && column.name !== 'id')
    .map(([, column]) => `${quote(column.name)} = excluded.${quote(column.name)}`)
    .join(', ');
  const conflict = {
    ignore: 'on conflict do nothing returning org_id as "orgId", id',
    update: `on conflict (org_id, id) do update set ${updateList} returning org_id as "orgId", id`,
    fail: '',
  }[options.onConflict];
  const statement = (json: string): SQL =>
    sql`insert into ${sql.raw(tableName)} (${sql.raw(targetList)})
      select ${sql.raw(selectList)} from json_to_recordset(${json}::json) as r(${sql.raw(recordType)})
      ${sql.raw(conflict)}`;

  const filled = (row: TRow) => {
    const record = row as Record<string, unknown>;
    if (defaults.every(([key]) => record[key] !== undefined)) return row;
    const copy = { ...record };
    for (const [key, value] of defaults) if (copy[key] === undefined) copy[key] = value;
    return copy;
  };

  return async (db, rows) => {
    if (rows.length === 0) return [];
    const result = (await db.execute(statement(withoutNul(await jsonArrayOf(rows.map(filled)))))) as {
      rows: { orgId: string; id: string }[];
    };
    if (options.onConflict !== 'fail') return result.rows;
    return rows.map((row) => {
      const { orgId, id } = row as { orgId: string; id: string };
      return { orgId, id };
    });
  };
}

/** Rows serialised in one go past this count would hold the event loop for milliseconds. */
const JSON_SLICE = 100;

/** `JSON.stringify(rows)`, a slice of rows per turn of the event loop. */
async function jsonArrayOf(rows: readonly unknown[]): Promise<string> {
  if (rows.length <= JSON_SLICE) return JSON.stringify(rows);
  const parts: string[] = [];
  for (let start = 0; start < rows.length; start += JSON_SLICE) {
    if (start > 0) await nextTurn();
    parts.push(JSON.stringify(rows.slice(start, start + JSON_SLICE)).slice(1, -1));
  }
  return `[${parts.join(',')}]`;
}

// An escaped NUL (`\u0000`) or surrogate not preceded by another backslash; an even run of backslashes
// before it is kept. JSON.stringify escapes a surrogate only when it is unpaired (a pair stays literal).
const ESCAPED_UNSTORABLE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g;
const MAY_HOLD_UNSTORABLE = /\\u(?:0000|d[89a-f])/;

/**
 * Postgres text and jsonb cannot hold U+0000 or an unpaired surrogate (valid JSON: `"\ud800"`), and
 * one such character in a prompt would fail the whole batch on every retry; it becomes U+FFFD (the
 * replacement character) instead.
 */
export function withoutNul(json: string): string {
  return MAY_HOLD_UNSTORABLE.test(json) ? json.replace(ESCAPED_UNSTORABLE, '$1\\ufffd') : json;
}
