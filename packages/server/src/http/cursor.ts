import { badRequest } from './http-error.js';

/** An opaque position in a list ordered by (time desc, id desc). */
export type Cursor = { time: Date; id: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.time.toISOString(), cursor.id])).toString('base64url');
}

export function decodeCursor(value: string): Cursor {
  try {
    const [time, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(time));
    if (typeof id === 'string' && typeof time === 'string' && !Number.isNaN(date.getTime())) return { time: date, id };
  } catch {
    // falls through to the 400 below
  }
  throw badRequest('cursor: is not a cursor this API returned', 'cursor');
}
