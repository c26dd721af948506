/** True when the Postgres error, or drizzle's wrapper of the driver's error, has a SQLSTATE that `matches`. */
function hasSqlState(error: unknown, matches: (code: string) => boolean): boolean {
  const candidates = [error, (error as { cause?: unknown } | undefined)?.cause];
  return candidates.some((candidate) => {
    const code = (candidate as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' && matches(code);
  });
}

/** True when Postgres ended the transaction to break a deadlock (40P01); running it again can succeed. */
export function isDeadlock(error: unknown): boolean {
  return hasSqlState(error, (code) => code === '40P01');
}

/** True for Postgres' unique_violation (23505). */
export function isUniqueViolation(error: unknown): boolean {
  return hasSqlState(error, (code) => code === '23505');
}

/**
 * True when Postgres refused a row's values for good: a data exception (class 22), an integrity
 * violation (23) or a size limit (54). Retrying the same row fails the same way.
 */
export function isRefusedRow(error: unknown): boolean {
  return hasSqlState(error, (code) => /^(22|23|54)/.test(code));
}

/** True when Postgres refused the values (class 22, data exception), not the connection or the server. */
export function isDataError(error: unknown): boolean {
  return hasSqlState(error, (code) => code.startsWith('22'));
}

// Postgres going away (admin/crash shutdown, starting up), class 08 (connection exception), and the
// socket errors of a server that is not there.
const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
// node-postgres reports a dropped or refused connection with these messages and no code.
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|is not queryable/;

/** True when the database could not be reached or dropped the connection: nothing wrong with the query. */
export function isConnectionError(error: unknown): boolean {
  if (hasSqlState(error, (code) => code.startsWith('08') || CONNECTION_CODES.has(code))) return true;
  const candidates = [error, (error as { cause?: unknown } | undefined)?.cause];
  return candidates.some((candidate) => candidate instanceof Error && CONNECTION_MESSAGES.test(candidate.message));
}

/** True when Postgres refused a character of a value (U+0000 in text, `\u0000` in jsonb): the client's input. */
export function isUnstorableCharacter(error: unknown): boolean {
  return hasSqlState(error, (code) => code === '22021' || code === '22P05');
}
