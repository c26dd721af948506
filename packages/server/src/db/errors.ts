/** True when the Postgres error, or drizzle's wrapper of the driver's error, has a SQLSTATE that `matches`. */
function hasSqlState(error: unknown, matches: (code: string) => boolean): boolean {
  const candidates = [error, (error as { cause?: unknown } | undefined)?.cause];
  return candidates.some((candidate) => {
    const code = (candidate as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' && matches(code);
  });
}

/** True for Postgres' unique_violation (23505). */
export function isUniqueViolation(error: unknown): boolean {
  return hasSqlState(error, (code) => code === '23505');
}

/** True when Postgres refused the values (class 22, data exception), not the connection or the server. */
export function isDataError(error: unknown): boolean {
  return hasSqlState(error, (code) => code.startsWith('22'));
}
