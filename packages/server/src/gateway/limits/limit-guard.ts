import type { FastifyBaseLogger } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import type { ApiKeyPrincipal } from '../../auth/index.js';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import { HttpError, tooManyRequests } from '../../http/http-error.js';
import type { Kv } from '../../kv/kv.js';
import { type BudgetHold, BudgetHolds } from './budget-holds.js';
import type { BudgetPeriod } from './budget-period.js';
import type { CostEstimator } from './cost-estimate.js';
import { RateLimits } from './rate-limits.js';

// A request in flight holds its slot at most this long, so a crashed replica's slots come back.
const SLOT_TTL_MS = 10 * 60_000;

/** What an admitted call must report when it ends (its slot, its tokens, its spend). */
export type Admission = {
  /** OpenAI's `x-ratelimit-*` headers for the tighter of the key's and the org's limits. */
  headers: Record<string, string>;
  settle(outcome: { tokens: number; costUsd: number | null }): Promise<void>;
};

const UNLIMITED: Admission = { headers: {}, settle: async () => {} };
const FREE: BudgetHold = { settle: async () => {} };

/**
 * Every limit of a gateway call, shared by all replicas through the kv: spend per period (key budget,
 * org monthly cap) with holds, requests and tokens per minute (key and org), requests in flight
 * (org). A refusal by one limit takes nothing from the others. When the kv is unreachable the gateway
 * keeps serving (fails open) and counts it in `switchyard_limiter_errors_total`.
 */
export class LimitGuard {
  readonly #kv: Kv;
  readonly #log: Pick<FastifyBaseLogger, 'warn'>;
  readonly #errors: Counter;
  readonly #budgets: BudgetHolds;
  readonly #rates: RateLimits;

  constructor(options: {
    kv: Kv;
    db: Database;
    clock: Clock;
    log: Pick<FastifyBaseLogger, 'warn'>;
    registry: Registry;
  }) {
    this.#kv = options.kv;
    this.#log = options.log;
    this.#budgets = new BudgetHolds(options);
    this.#rates = new RateLimits(options);
    this.#errors = new Counter({
      name: 'switchyard_limiter_errors_total',
      help: 'Limit checks skipped because the kv (Redis) did not answer: the gateway failed open',
      registers: [options.registry],
    });
  }

  /**
   * Admits the call or throws 402 (its worst-case `cost` does not fit a budget) or 429 (rate, tokens,
   * in flight) naming the limit. A call without a `cost` spends nothing (counting tokens): it counts
   * against the rates and the requests in flight, and holds no budget.
   */
  async admit(options: { principal: ApiKeyPrincipal; cost?: CostEstimator }): Promise<Admission> {
    try {
      return await this.#admit(options);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      this.#errors.inc();
      this.#log.warn({ err: error }, 'limits unavailable; admitting the call without them');
      return UNLIMITED;
    }
  }

  async #admit(options: { principal: ApiKeyPrincipal; cost?: CostEstimator }): Promise<Admission> {
    const { principal, cost } = options;
    const org = principal.key.orgLimits;
    // Budgets first: a refusal there is the cheapest, and a later refusal gives the hold back.
    const hold: BudgetHold = cost ? await this.#budgets.reserve({ principal, cost }) : FREE;
    let rates: Awaited<ReturnType<RateLimits['admit']>>;
    const slotKey = `inflight:org:${principal.orgId}`;
    try {
      rates = await this.#rates.admit(principal);
      if (
        org.maxConcurrentRequests !== null &&
        !(await this.#kv.acquireSlot(slotKey, { limit: org.maxConcurrentRequests, ttlMs: SLOT_TTL_MS }))
      ) {
        throw tooManyRequests(
          `Too many requests in flight: this org may have ${org.maxConcurrentRequests} at once`,
          1_000,
          'too_many_concurrent_requests',
        );
      }
    } catch (error) {
      await hold.settle(0).catch(() => {});
      throw error;
    }

    return {
      headers: rates.headers,
      settle: async ({ tokens, costUsd }) => {
        try {
          await Promise.all([
            org.maxConcurrentRequests !== null ? this.#kv.releaseSlot(slotKey) : undefined,
            // Tokens are known only when the call ends, so they count against the next calls.
            this.#rates.chargeTokens({ limits: rates.tokenLimits, tokens }),
            hold.settle(costUsd),
          ]);
        } catch (error) {
          this.#errors.inc();
          this.#log.warn({ err: error }, 'could not count a finished call against its limits');
        }
      },
    };
  }

  /** Spend in the current period as budgets count it (see `BudgetHolds.spendThisPeriod`). */
  spendThisPeriod(options: { orgId: string; keyId: string | undefined; period: BudgetPeriod }) {
    return this.#budgets.spendThisPeriod(options);
  }

  /**
   * Requests and tokens the per-minute limits of a key or an org count now, without counting this
   * look; null where no limit applies or the kv cannot say (it is down, and the gateway fails open).
   */
  async usedThisMinute(options: {
    scope: 'key' | 'org';
    id: string;
    requestsPerMinute: number | null;
    tokensPerMinute: number | null;
  }): Promise<{ requests: number | null; tokens: number | null } | null> {
    try {
      return await this.#rates.usedThisMinute(options);
    } catch {
      return null;
    }
  }
}
