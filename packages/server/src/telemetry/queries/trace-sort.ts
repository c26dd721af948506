import type { TraceSort } from '@switchyard/shared';
import { type SQL, sql } from 'drizzle-orm';
import { decodeCursorValues, encodeCursorValues } from '../../http/cursor.js';
import { badRequest } from '../../http/http-error.js';

/**
 * The order of a traces page and the position after its last row. Traces without the sorted value
 * (no cost, no end) come last in both directions: their key is +∞ ascending and -1 descending, so
 * one row comparison `(key, id) > / < (cursor)` pages through everything exactly once.
 */
export type TraceOrder = {
  /** The sort key as a SQL expression over `traces t` and its `totals`. */
  key: SQL;
  descending: boolean;
  /** Rows strictly after the cursor in this order. */
  after(cursor: string): SQL;
  /** The cursor of a row, from its `sort_key` column. */
  cursorOf(row: { sort_key: unknown; id: string }): string;
};

function numericKey(value: SQL, descending: boolean): SQL {
  return descending ? sql`coalesce(${value}, -1)::float8` : sql`coalesce(${value}, 'Infinity')::float8`;
}

export function traceOrder(sort: TraceSort, latency: SQL): TraceOrder {
  const descending = sort.startsWith('-');
  const column = sort.replace(/^-/, '');
  const isTime = column === 'startTime';
  const key =
    column === 'startTime'
      ? sql`t.start_time`
      : column === 'latencyMs'
        ? numericKey(latency, descending)
        : column === 'costUsd'
          ? numericKey(sql`totals.cost_usd`, descending)
          : sql`(totals.input_tokens + totals.output_tokens)::float8`;
  const comparison = descending ? sql`<` : sql`>`;
  return {
    key,
    descending,
    after(cursor) {
      const { value, id } = decodeSortCursor(cursor, sort);
      const typed = isTime ? sql`${value}::timestamptz` : sql`${value}::float8`;
      return sql`(${key}, t.id) ${comparison} (${typed}, ${id})`;
    },
    cursorOf(row) {
      const value = isTime ? new Date(row.sort_key as string).toISOString() : String(row.sort_key);
      return encodeCursorValues([sort, value, row.id]);
    },
  };
}

/** A cursor is only good for the order that made it: another order would skip or repeat rows. */
function decodeSortCursor(cursor: string, sort: TraceSort): { value: string; id: string } {
  const problem = 'is not a cursor this API returned for this sort';
  const [madeFor, value, id] = decodeCursorValues(cursor, { count: 3, problem }) as [string, string, string];
  if (madeFor !== sort) throw badRequest(`cursor: ${problem}`, 'cursor');
  return { value, id };
}
