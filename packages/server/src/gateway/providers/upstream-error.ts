import { HttpError } from '../../http/http-error.js';
import { ProviderError } from './provider-error.js';

/**
 * What the client sees of a provider failure. A provider's 4xx about the request itself passes
 * through; failures that are ours or the provider's (its auth, its outage) become 502/504.
 */
export function toClientError(error: unknown): HttpError | undefined {
  if (!(error instanceof ProviderError)) return undefined;
  const status = error.upstreamStatus;
  if (status === 429) {
    const headers =
      error.retryAfterSeconds !== undefined ? { 'retry-after': String(Math.ceil(error.retryAfterSeconds)) } : undefined;
    return new HttpError(429, { code: error.code, message: error.message, headers, type: 'rate_limit_error' });
  }
  if (status === 401 || status === 403) {
    return new HttpError(502, {
      code: 'upstream_auth_failed',
      message: `${error.provider} refused this server's credentials (${status}); check the provider key`,
      type: 'server_error',
    });
  }
  if (status >= 400 && status < 500 && status !== 408) {
    return new HttpError(status, { code: error.code, message: error.message });
  }
  const timedOut = status === 408 || /timeout/i.test(error.message);
  return new HttpError(timedOut ? 504 : 502, { code: error.code, message: error.message, type: 'server_error' });
}
