import { HttpError, tooManyRequests } from '../../http/http-error.js';
import type { Kv } from '../../kv/kv.js';

const IP_WINDOW_MS = 5 * 60_000;
const IP_MAX_ATTEMPTS = 30;
const ACCOUNT_WINDOW_MS = 15 * 60_000;
const ACCOUNT_MAX_FAILURES = 10;

/** Thrown for a kv failure: without its counts the limiter fails closed. */
function unavailable(cause: unknown): HttpError {
  return new HttpError(503, {
    code: 'unavailable',
    type: 'server_error',
    message: 'Sign-in limits cannot be checked just now (Redis is unreachable); retry shortly',
    headers: { 'retry-after': '5' },
    cause,
  });
}

/**
 * Slows password guessing: every attempt counts against the client's IP, every failure against the
 * account. Lives in the kv, so the limits hold across replicas. Fails closed: while the kv (Redis) is
 * unreachable, sign-in and sign-up answer 503 rather than let guesses through unlimited.
 */
export class LoginLimiter {
  readonly #kv: Kv;

  constructor(kv: Kv) {
    this.#kv = kv;
  }

  /** Counts an attempt; throws 429 when the IP or the account is over its limit, 503 when the kv is away. */
  async admit(options: { ip: string; email?: string; action: 'login' | 'signup' }): Promise<void> {
    try {
      await this.#admit(options);
    } catch (error) {
      throw error instanceof HttpError ? error : unavailable(error);
    }
  }

  async #admit(options: { ip: string; email?: string; action: 'login' | 'signup' }): Promise<void> {
    const byIp = await this.#kv.incrementWindow(`auth:${options.action}:ip:${options.ip}`, { windowMs: IP_WINDOW_MS });
    if (byIp.count > IP_MAX_ATTEMPTS) {
      throw tooManyRequests('Too many attempts from this address; try again later', byIp.resetMs, 'too_many_attempts');
    }
    if (options.email) {
      const byAccount = await this.#kv.peekWindow(`auth:failures:${options.email}`, { windowMs: ACCOUNT_WINDOW_MS });
      if (byAccount.count >= ACCOUNT_MAX_FAILURES) {
        throw tooManyRequests(
          'Too many failed logins for this account; try again later',
          byAccount.resetMs,
          'too_many_attempts',
        );
      }
    }
  }

  async recordFailure(email: string): Promise<void> {
    await this.#kv
      .incrementWindow(`auth:failures:${email}`, { windowMs: ACCOUNT_WINDOW_MS })
      .catch((error: unknown) => Promise.reject(unavailable(error)));
  }
}
