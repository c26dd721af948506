/**
 * A failed call to a provider, as a value the router can reason about: `isRetryable` says whether
 * the same request may succeed on another attempt or target (408, 409, 429, 5xx, network errors).
 */
export class ProviderError extends Error {
  readonly provider: string;
  /** The upstream HTTP status; 0 when no response arrived (network error, timeout). */
  readonly upstreamStatus: number;
  readonly code: string;
  readonly isRetryable: boolean;
  /** Seconds the provider asked us to wait (`retry-after`), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(options: {
    provider: string;
    upstreamStatus: number;
    code: string;
    message: string;
    retryAfterSeconds?: number;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.name = 'ProviderError';
    this.provider = options.provider;
    this.upstreamStatus = options.upstreamStatus;
    this.code = options.code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.isRetryable = isRetryableStatus(options.upstreamStatus);
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 409 || status === 429 || status >= 500;
}
