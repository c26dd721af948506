/** Longest the SDK waits between two attempts, whatever `retry-after` asks: a flush must end. */
export const MAX_RETRY_DELAY_MS = 30_000;

/**
 * How long to wait before attempt `attempt + 1`: the server's `retry-after` (seconds or an HTTP
 * date) when it sent one, else exponential backoff from `baseDelayMs` with full jitter, so clients
 * that failed together do not retry together.
 */
export function retryDelayMs(options: {
  attempt: number;
  baseDelayMs: number;
  retryAfter?: string | null;
  random?: () => number;
  now?: () => number;
}): number {
  const fromHeader = parseRetryAfter(options.retryAfter, options.now ?? Date.now);
  if (fromHeader !== undefined) return Math.min(fromHeader, MAX_RETRY_DELAY_MS);
  const ceiling = Math.min(options.baseDelayMs * 2 ** options.attempt, MAX_RETRY_DELAY_MS);
  return Math.round(ceiling * (options.random ?? Math.random)());
}

function parseRetryAfter(value: string | null | undefined, now: () => number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

/** Statuses worth another try, as everywhere in Switchyard: timeouts, conflicts, rate limits, 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
