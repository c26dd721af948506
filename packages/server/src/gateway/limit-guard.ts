import { formatUsd } from '@switchyard/shared';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import type { ApiKeyPrincipal } from '../auth/authenticator.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { usageRollups } from '../db/telemetry-schema.js';
import { HttpError, tooManyRequests } from '../http/http-error.js';
import type { Kv } from '../kv/kv.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3600_000;
// A request in flight holds its slot at most this long, so a crashed replica's slots come back.
const SLOT_TTL_MS = 10 * MINUTE_MS;

/** What an admitted call must report when it ends (its slot, its tokens, its spend). */
export type Admission = {
  /** OpenAI's `x-ratelimit-*` headers for the tighter of the key's and the org's limits. */
  headers: Record<string, string>;
  settle(outcome: { tokens: number; costUsd: number | null }): Promise<void>;
};

export type BudgetPeriod = 'day' | 'month';

/** Where a budget's current period began (UTC days and calendar months). */
export function periodStart(now: number, period: BudgetPeriod): Date {
  const date = new Date(now);
  return period === 'day'
    ? new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
    : new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

export function periodEnd(start: Date, period: BudgetPeriod): Date {
  return period === 'day'
    ? new Date(start.getTime() + DAY_MS)
    : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** The kv counter of spend in one period: a key's budget, or the org's cap when `keyId` is absent. */
export function spendCounterKey(options: { orgId: string; keyId: string | undefined; start: Date }): string {
  return `spend:${options.keyId ? `key:${options.keyId}` : `org:${options.orgId}`}:${options.start.getTime()}`;
}

/** The kv windows of requests (`rpm`) and tokens (`tpm`) per minute of one key or org. */
export function minuteWindowKey(options: { counter: 'rpm' | 'tpm'; scope: 'key' | 'org'; id: string }): string {
  return `${options.counter}:${options.scope}:${options.id}`;
}

const seconds = (ms: number) => `${Math.max(1, Math.ceil(ms / 1000))}s`;

/**
 * Requests and tokens per minute (key and org), requests in flight (org) and spend per period (key
 * budget, org monthly cap), shared by all replicas through the kv. When the kv is unreachable the
 * gateway keeps serving (fails open) and counts it in `switchyard_limiter_errors_total`.
 */
export class LimitGuard {
  readonly #kv: Kv;
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #log: Pick<FastifyBaseLogger, 'warn'>;
  readonly #errors: Counter;

  constructor(options: {
    kv: Kv;
    db: Database;
    clock: Clock;
    log: Pick<FastifyBaseLogger, 'warn'>;
    registry: Registry;
  }) {
    this.#kv = options.kv;
    this.#db = options.db;
    this.#clock = options.clock;
    this.#log = options.log;
    this.#errors = new Counter({
      name: 'switchyard_limiter_errors_total',
      help: 'Limit checks skipped because the kv (Redis) did not answer: the gateway failed open',
      registers: [options.registry],
    });
  }

  /** Admits the call or throws 429 (rate, tokens, in flight) or 402 (budget) naming the limit. */
  async admit(principal: ApiKeyPrincipal): Promise<Admission> {
    try {
      return await this.#admit(principal);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      this.#errors.inc();
      this.#log.warn({ err: error }, 'limits unavailable; admitting the call without them');
      return { headers: {}, settle: async () => {} };
    }
  }

  async #admit(principal: ApiKeyPrincipal): Promise<Admission> {
    const { key, orgId } = principal;
    const org = key.orgLimits;
    const now = this.#clock.now();

    const budgets = [
      key.budgetUsd !== null && key.budgetPeriod
        ? {
            name: `API key "${key.name}" ${key.budgetPeriod === 'day' ? 'daily' : 'monthly'} budget`,
            limit: key.budgetUsd,
            period: key.budgetPeriod,
            keyId: key.id as string | undefined,
          }
        : undefined,
      org.monthlySpendCapUsd !== null
        ? {
            name: "the org's monthly spend cap",
            limit: org.monthlySpendCapUsd,
            period: 'month' as const,
            keyId: undefined,
          }
        : undefined,
    ].flatMap((budget) => (budget ? [{ ...budget, start: periodStart(now, budget.period) }] : []));
    const spendKey = (budget: (typeof budgets)[number]) =>
      spendCounterKey({ orgId, keyId: budget.keyId, start: budget.start });
    for (const budget of budgets) {
      const spent = await this.#kv.addToTotal(spendKey(budget), 0, {
        ttlMs: periodEnd(budget.start, budget.period).getTime() - now + DAY_MS,
        initial: () => this.#spentSince(orgId, budget.start, budget.keyId),
      });
      if (spent >= budget.limit) {
        const resets = periodEnd(budget.start, budget.period).toISOString();
        throw new HttpError(402, {
          code: 'budget_exceeded',
          type: 'insufficient_quota',
          message: `Spend limit reached: ${budget.name} is ${formatUsd(budget.limit)} and ${formatUsd(spent)} is spent; it resets at ${resets}`,
        });
      }
    }

    const keyWindow = (counter: 'rpm' | 'tpm') => minuteWindowKey({ counter, scope: 'key', id: key.id });
    const orgWindow = (counter: 'rpm' | 'tpm') => minuteWindowKey({ counter, scope: 'org', id: orgId });
    const tokenLimits = [
      { scope: 'key', key: keyWindow('tpm'), limit: key.tokensPerMinute },
      { scope: 'org', key: orgWindow('tpm'), limit: org.tokensPerMinute },
    ].flatMap((entry) => (entry.limit === null ? [] : [{ ...entry, limit: entry.limit }]));
    const tokenCounts = await Promise.all(
      tokenLimits.map((entry) => this.#kv.peekWindow(entry.key, { windowMs: MINUTE_MS })),
    );
    tokenLimits.forEach((entry, index) => {
      const count = tokenCounts[index];
      if (count && count.count >= entry.limit) {
        throw tooManyRequests(
          `Rate limit reached: ${entry.scope === 'key' ? 'this API key' : 'this org'} may use ${entry.limit} tokens per minute`,
          count.resetMs,
          'tokens_per_minute_exceeded',
        );
      }
    });

    const requestLimits = [
      { scope: 'org', key: orgWindow('rpm'), limit: org.requestsPerMinute },
      { scope: 'key', key: keyWindow('rpm'), limit: key.requestsPerMinute },
    ].flatMap((entry) => (entry.limit === null ? [] : [{ ...entry, limit: entry.limit }]));
    const admission = await this.#kv.admitToWindows(requestLimits, { windowMs: MINUTE_MS });
    if (!admission.admitted) {
      const refused = requestLimits[admission.refusedBy];
      const error = tooManyRequests(
        `Rate limit reached: ${refused?.scope === 'key' ? 'this API key' : 'this org'} may make ${refused?.limit} requests per minute`,
        admission.resetMs,
        'requests_per_minute_exceeded',
      );
      Object.assign(error.headers, {
        'x-ratelimit-limit-requests': String(refused?.limit),
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': seconds(admission.resetMs),
      });
      throw error;
    }

    const slotKey = `inflight:org:${orgId}`;
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

    const headers: Record<string, string> = {};
    // Report the limit with the least headroom, as OpenAI reports the one that will bind first.
    const requestHeadroom = requestLimits.map((entry, index) => ({
      limit: entry.limit,
      remaining: entry.limit - (admission.counts[index] ?? 0),
    }));
    const tightestRequests = requestHeadroom.sort((a, b) => a.remaining - b.remaining)[0];
    if (tightestRequests) {
      headers['x-ratelimit-limit-requests'] = String(tightestRequests.limit);
      headers['x-ratelimit-remaining-requests'] = String(Math.max(0, tightestRequests.remaining));
      headers['x-ratelimit-reset-requests'] = seconds(admission.resetMs);
    }
    const tokenHeadroom = tokenLimits.map((entry, index) => ({
      limit: entry.limit,
      remaining: entry.limit - (tokenCounts[index]?.count ?? 0),
      resetMs: tokenCounts[index]?.resetMs ?? MINUTE_MS,
    }));
    const tightestTokens = tokenHeadroom.sort((a, b) => a.remaining - b.remaining)[0];
    if (tightestTokens) {
      headers['x-ratelimit-limit-tokens'] = String(tightestTokens.limit);
      headers['x-ratelimit-remaining-tokens'] = String(Math.max(0, tightestTokens.remaining));
      headers['x-ratelimit-reset-tokens'] = seconds(tightestTokens.resetMs || MINUTE_MS);
    }

    return {
      headers,
      settle: async ({ tokens, costUsd }) => {
        try {
          if (org.maxConcurrentRequests !== null) await this.#kv.releaseSlot(slotKey);
          // Tokens are known only when the call ends, so they count against the next calls.
          if (tokens > 0)
            await Promise.all(
              tokenLimits.map((entry) => this.#kv.incrementWindow(entry.key, { windowMs: MINUTE_MS, cost: tokens })),
            );
          if (costUsd) {
            await Promise.all(
              budgets.map((budget) =>
                this.#kv.addToTotal(spendKey(budget), costUsd, {
                  ttlMs: periodEnd(budget.start, budget.period).getTime() - this.#clock.now() + DAY_MS,
                  initial: () => this.#spentSince(orgId, budget.start, budget.keyId),
                }),
              ),
            );
          }
        } catch (error) {
          this.#errors.inc();
          this.#log.warn({ err: error }, 'could not count a finished call against its limits');
        }
      },
    };
  }

  /**
   * Spend in the current period as `admit` counts it: the kv counter, or the rollups when no call has
   * started one yet. Reads only, so looking never seeds or extends a counter.
   */
  async spendThisPeriod(options: {
    orgId: string;
    keyId: string | undefined;
    period: BudgetPeriod;
  }): Promise<{ spendUsd: number; start: Date; end: Date }> {
    const start = periodStart(this.#clock.now(), options.period);
    // With the kv down, the rollups still know the spend (the gateway fails open the same way).
    const counted = await this.#kv
      .getTotal(spendCounterKey({ orgId: options.orgId, keyId: options.keyId, start }))
      .catch(() => null);
    const spendUsd = counted ?? (await this.#spentSince(options.orgId, start, options.keyId));
    return { spendUsd, start, end: periodEnd(start, options.period) };
  }

  /**
   * Requests and tokens counted in the current minute for a key or an org, without counting this
   * look; null when the kv cannot say (it is down, and the gateway is failing open).
   */
  async usedThisMinute(options: {
    scope: 'key' | 'org';
    id: string;
  }): Promise<{ requests: number; tokens: number } | null> {
    try {
      const [requests, tokens] = await Promise.all(
        (['rpm', 'tpm'] as const).map((counter) =>
          this.#kv.peekWindow(minuteWindowKey({ counter, ...options }), { windowMs: MINUTE_MS }),
        ),
      );
      return { requests: requests?.count ?? 0, tokens: tokens?.count ?? 0 };
    } catch {
      return null;
    }
  }

  /** Spend recorded in the rollups since `start`: where counters begin after a restart or a new period. */
  async #spentSince(orgId: string, start: Date, keyId: string | undefined): Promise<number> {
    const [row] = await this.#db
      .select({ spent: sql<number>`coalesce(sum(${usageRollups.costUsd}), 0)::float8` })
      .from(usageRollups)
      .where(
        and(
          eq(usageRollups.orgId, orgId),
          // Only spend through the gateway: what apps report by ingest was not spent through it.
          eq(usageRollups.source, 'gateway'),
          gte(usageRollups.bucketStart, start),
          keyId ? eq(usageRollups.apiKeyId, keyId) : undefined,
        ),
      );
    return Number(row?.spent ?? 0);
  }
}
