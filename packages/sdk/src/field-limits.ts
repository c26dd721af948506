/**
 * Longest free-text fields the server takes (`@switchyard/shared`'s ingest schemas). A longer one
 * would get the whole event refused, so it is cut here: an error message from a provider can be long.
 */
const FIELD_LIMITS = { name: 1_000, statusMessage: 10_000, comment: 10_000 } as const;

export function fitFieldLimits<TBody extends object>(body: TBody): TBody {
  const fields = body as Record<string, unknown>;
  let fitted: Record<string, unknown> | undefined;
  for (const [field, limit] of Object.entries(FIELD_LIMITS)) {
    const value = fields[field];
    if (typeof value !== 'string' || value.length <= limit) continue;
    fitted ??= { ...fields };
    fitted[field] = `${value.slice(0, limit - 1)}…`;
  }
  return (fitted ?? body) as TBody;
}
