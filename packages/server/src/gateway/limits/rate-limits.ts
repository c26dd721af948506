import type { ApiKeyPrincipal } from '../../auth/index.js';
import type { Clock } from '../../clock.js';
import { tooManyRequests } from '../../http/http-error.js';
import type { RateCheck, RateLimit } from '../../kv/gcra.js';
import type { Kv } from '../../kv/kv.js';
import { rateHeaders, resetDuration } from './rate-headers.js';

const MINUTE_MS = 60_000;

type Scope = 'key' | 'org';
type Counter = 'rpm' | 'tpm';
type ScopedCheck = RateCheck & { scope: Scope; counter: Counter };

/** The kv limit of requests (`rpm`) or tokens (`tpm`) per minute of one key or org. */
export function minuteLimitKey(options: { counter: Counter; scope: Scope; id: string }): string {
  return `${options.counter}:${options.scope}:${options.id}`;
}

const who = (scope: Scope) => (scope === 'key' ? 'this API key' : 'this org');

/**
 * Requests and tokens per minute of a key and its org, as GCRA limits (`kv/gcra.ts`): N a minute is
 * a burst of up to N, then one every 60/N s, with no minute boundary at which it resets. Tokens are
 * counted when a call ends; a call is admitted while its limits have room for one more token.
 */
export class RateLimits {
  readonly #kv: Kv;
  readonly #clock: Clock;

  constructor(options: { kv: Kv; clock: Clock }) {
    this.#kv = options.kv;
    this.#clock = options.clock;
  }

  /** Counts the request in every limit, or throws 429 and counts it in none. */
  async admit(principal: ApiKeyPrincipal): Promise<{ headers: Record<string, string>; tokenLimits: RateLimit[] }> {
    const { key, orgId } = principal;
    const org = key.orgLimits;
    const check = (scope: Scope, counter: Counter, limit: number | null): ScopedCheck[] =>
      limit === null
        ? []
        : [
            {
              scope,
              counter,
              key: minuteLimitKey({ counter, scope, id: scope === 'key' ? key.id : orgId }),
              limit,
              periodMs: MINUTE_MS,
              cost: counter === 'rpm' ? 1 : 0,
            },
          ];
    const checks = [
      ...check('org', 'rpm', org.requestsPerMinute),
      ...check('key', 'rpm', key.requestsPerMinute),
      ...check('key', 'tpm', key.tokensPerMinute),
      ...check('org', 'tpm', org.tokensPerMinute),
    ];
    if (checks.length === 0) return { headers: {}, tokenLimits: [] };
    const answer = await this.#kv.admitToRates({ now: this.#clock.now(), checks });
    const statesOf = (counter: Counter) => answer.states.filter((_state, index) => checks[index]?.counter === counter);
    if (!answer.admitted) {
      const refused = checks[answer.refusedBy] as ScopedCheck;
      const state = answer.states[answer.refusedBy];
      const error =
        refused.counter === 'rpm'
          ? tooManyRequests(
              `Rate limit reached: ${who(refused.scope)} may make ${refused.limit} requests per minute (a burst of ${refused.limit}, then one every ${resetDuration(MINUTE_MS / refused.limit)}); the next is admitted in ${resetDuration(answer.retryAfterMs)}`,
              answer.retryAfterMs,
              'requests_per_minute_exceeded',
            )
          : tooManyRequests(
              `Rate limit reached: ${who(refused.scope)} may use ${refused.limit} tokens per minute and ${state?.used ?? refused.limit} are counted; the next call is admitted in ${resetDuration(answer.retryAfterMs)}`,
              answer.retryAfterMs,
              'tokens_per_minute_exceeded',
            );
      Object.assign(
        error.headers,
        rateHeaders({ unit: refused.counter === 'rpm' ? 'requests' : 'tokens', states: state ? [state] : [] }),
      );
      throw error;
    }
    return {
      headers: {
        ...rateHeaders({ unit: 'requests', states: statesOf('rpm') }),
        ...rateHeaders({ unit: 'tokens', states: statesOf('tpm') }),
      },
      tokenLimits: checks.filter((entry) => entry.counter === 'tpm'),
    };
  }

  /** Counts a finished call's tokens against the limits it was admitted under. */
  async chargeTokens(options: { limits: readonly RateLimit[]; tokens: number }): Promise<void> {
    if (options.limits.length === 0 || options.tokens <= 0) return;
    await this.#kv.chargeRates({ now: this.#clock.now(), limits: options.limits, amount: options.tokens });
  }

  /**
   * Requests and tokens a key's or org's limits count now: what has not drained yet at their rate,
   * which for calls within the last minute is how many there were. Null where no limit applies.
   */
  async usedThisMinute(options: {
    scope: Scope;
    id: string;
    requestsPerMinute: number | null;
    tokensPerMinute: number | null;
  }): Promise<{ requests: number | null; tokens: number | null }> {
    const limitOf = (counter: Counter, perMinute: number | null): RateLimit[] =>
      perMinute === null
        ? []
        : [
            {
              key: minuteLimitKey({ counter, scope: options.scope, id: options.id }),
              limit: perMinute,
              periodMs: MINUTE_MS,
            },
          ];
    const limits = [...limitOf('rpm', options.requestsPerMinute), ...limitOf('tpm', options.tokensPerMinute)];
    const states = await this.#kv.peekRates({ now: this.#clock.now(), limits });
    const usedOf = (counter: Counter) => {
      const index = limits.findIndex((limit) => limit.key.startsWith(`${counter}:`));
      return index === -1 ? null : (states[index]?.used ?? 0);
    };
    return { requests: usedOf('rpm'), tokens: usedOf('tpm') };
  }
}
