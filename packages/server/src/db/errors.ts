/** True for Postgres' unique_violation (23505), whether the driver's error or drizzle's wrapper of it. */
export function isUniqueViolation(error: unknown): boolean {
  const candidates = [error, (error as { cause?: unknown } | undefined)?.cause];
  return candidates.some((candidate) => (candidate as { code?: string } | undefined)?.code === '23505');
}
