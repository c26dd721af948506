/**
 * What one `POST /v1/ingest` may carry: a copy of `INGEST_LIMITS` from `@switchyard/shared`, not an
 * import, so the bundle carries no zod and the package stands alone. `ingest-limits.test.ts` fails
 * the day the server's limits and this copy part ways.
 */
export const INGEST_LIMITS = {
  bodyBytes: 5 * 1024 * 1024,
  eventBytes: 1024 * 1024,
  batchEvents: 1_000,
} as const;
