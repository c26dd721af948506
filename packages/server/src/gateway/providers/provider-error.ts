/**
 * A failed call to a provider, as a value the router can reason about: `isRetryable` says whether
 * the same request may succeed on another attempt or target (408, 409, 429, 5xx, network errors),
 * and is the only judgement of that kind; nothing else reads the status to decide.
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

/** 0 is no answer at all: a network error, or a stream that broke off. */
function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 409 || status === 429 || status >= 500;
}

/** A stream whose body failed mid-way, as the router sees it; a ProviderError (an error event) stays as it is. */
export function streamBrokeOff(provider: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  return new ProviderError({
    provider,
    upstreamStatus: 0,
    code: 'upstream_stream_interrupted',
    message: `${provider} stream broke off: ${(error as Error).message}`,
    cause: error,
  });
}

/** A stream whose body ended cleanly but before its last event (`[DONE]`, `message_stop`, a finish reason). */
export function streamEndedEarly(provider: string, missing: string): ProviderError {
  return new ProviderError({
    provider,
    upstreamStatus: 0,
    code: 'upstream_stream_interrupted',
    message: `${provider} stream ended without ${missing}`,
  });
}
