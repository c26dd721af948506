import { type SQL, sql } from 'drizzle-orm';
import { badRequest } from '../../http/http-error.js';

/**
 * A timestamptz as ISO 8601 text to the microsecond, for a cursor: a JavaScript Date keeps only
 * milliseconds, so a cursor made from one would skip or repeat rows that differ below that.
 */
export function microsecondTime(column: SQL): SQL {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

const MICROSECOND_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A time read back from a cursor, checked before Postgres sees it; a 400 naming `cursor` if it is not one. */
export function decodeMicrosecondTime(value: string): string {
  if (MICROSECOND_ISO.test(value) && !Number.isNaN(Date.parse(value))) return value;
  throw badRequest('cursor: is not a cursor this API returned', 'cursor');
}
