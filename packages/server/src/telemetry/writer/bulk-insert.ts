import { setImmediate as nextTurn } from 'node:timers/promises';
import { getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.js';
import { copyIn } from '../../db/copy-in.js';
import { copyField } from '../../db/copy-text.js';

/**
 * Inserts many rows in one statement with a single JSON parameter, skipping rows whose key is
 * already stored, and returns the keys it did insert. Building a multi-row VALUES list through the
 * query builder costs a call per cell on the event loop (most of the gateway's CPU per request
 * under load); `JSON.stringify` is native and `json_to_recordset` spreads the rows in Postgres (`json`, not `jsonb`: the
 * parameter is parsed once, on the fly, instead of into a jsonb tree first — half the bind time).
 */
export type BulkInserter<TRow> = (
  db: Database,
  rows: readonly TRow[],
  options?: BulkInsertOptions,
) => Promise<{ orgId: string; id: string }[]>;

export type BulkInsertOptions = {
  /**
   * Send the rows with `COPY … FROM STDIN` (a Postgres server; PGlite's wire protocol has no COPY
   * sub-protocol). Only for `'fail'`: COPY has no ON CONFLICT. A third of the server's work per row
   * of the JSON statement, which parses the JSON, then each value again into its column type.
   */
  copy?: boolean;
};

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

  const copyColumns = columns.map(([, column]) => quote(column.name));
  const encoders = columns.map(([key, column]) => {
    const json = column.getSQLType() === 'jsonb' || column.getSQLType() === 'json';
    return (row: Record<string, unknown>): string => {
      const value = row[key];
      if (value === null || value === undefined) return copyField(null);
      if (json) return copyField(withoutNul(JSON.stringify(value)));
      // As JSON.stringify would send it (the other path): a non-finite number is null.
      if (typeof value === 'number' && !Number.isFinite(value)) return copyField(null);
      return copyField(String(column.mapToDriverValue(value)));
    };
  });
  async function* copyText(rows: readonly TRow[]): AsyncGenerator<string> {
    for (let start = 0; start < rows.length; start += JSON_SLICE) {
      if (start > 0) await nextTurn();
      let text = '';
      for (const row of rows.slice(start, start + JSON_SLICE)) {
        const record = filled(row) as Record<string, unknown>;
        text += `${encoders.map((encode) => encode(record)).join('\t')}\n`;
      }
      yield text;
    }
  }
  const keysOf = (rows: readonly TRow[]) =>
    rows.map((row) => {
      const { orgId, id } = row as { orgId: string; id: string };
      return { orgId, id };
    });

  return async (db, rows, insertOptions) => {
    if (rows.length === 0) return [];
    if (insertOptions?.copy && options.onConflict === 'fail') {
      await copyIn({ tx: db, table: tableName, columns: copyColumns, chunks: copyText(rows) });
      return keysOf(rows);
    }
    const result = (await db.execute(statement(withoutNul(await jsonArrayOf(rows.map(filled)))))) as {
      rows: { orgId: string; id: string }[];
    };
    return options.onConflict === 'fail' ? keysOf(rows) : result.rows;
  };
}

/** Rows serialised in one go (JSON or COPY text) past this count would hold the event loop for milliseconds. */
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
