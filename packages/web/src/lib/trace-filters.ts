/** The filters of `GET /api/traces`, as they appear in the page's URL. */
export const FILTERS = [
  'range',
  'model',
  'provider',
  'status',
  'userId',
  'sessionId',
  'tag',
  'keyId',
  'name',
  'minCostUsd',
  'minLatencyMs',
] as const;
export type FilterName = (typeof FILTERS)[number];

const RANGE_MS: Record<string, number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/** The query for the API: the relative range becomes `from`, evaluated now. */
export function apiQueryOf(params: URLSearchParams): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (!value) continue;
    if (name === 'range') {
      const span = RANGE_MS[value];
      if (span) query.from = new Date(Date.now() - span).toISOString();
    } else query[name] = value;
  }
  return query;
}
