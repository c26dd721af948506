import { z } from 'zod';
import { safeParseJson } from '../parse-json.js';
import { badRequest } from './http-error.js';

/** An opaque position in a list ordered by (time desc, id desc). */
export type Cursor = { time: Date; id: string };

/** Values that place a row in an ordered list, as one URL-safe string clients pass back untouched. */
export function encodeCursorValues(values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The values of a cursor this API made; a 400 naming `cursor` for anything else. */
export function decodeCursorValues(value: string, options: { count: number; problem?: string }): string[] {
  const text = Buffer.from(value, 'base64url').toString('utf8');
  const parsed = safeParseJson({ text, schema: z.array(z.string()).length(options.count) });
  if (parsed.success) return parsed.value;
  throw badRequest(`cursor: ${options.problem ?? 'is not a cursor this API returned'}`, 'cursor');
}

export function encodeCursor(cursor: Cursor): string {
  return encodeCursorValues([cursor.time.toISOString(), cursor.id]);
}

export function decodeCursor(value: string): Cursor {
  const [time, id] = decodeCursorValues(value, { count: 2 }) as [string, string];
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) throw badRequest('cursor: is not a cursor this API returned', 'cursor');
  return { time: date, id };
}
