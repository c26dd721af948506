import { randomUUID } from 'node:crypto';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { ApiKeyPrincipal } from '../../auth/index.js';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import { usageRollups } from '../../db/telemetry-schema.js';
import type { Kv } from '../../kv/kv.js';
import type { SpendBudget, SpendReservation } from '../../kv/spend-holds.js';
import { type BudgetPeriod, counterTtlMs, periodEnd, periodStart, spendCounterKey } from './budget-period.js';
import { budgetRefusal, unpricedRefusal } from './budget-refusal.js';
import type { CostEstimate, CostEstimator } from './cost-estimate.js';

/**
 * How long a hold counts if its call never settles (its replica died): longer than a call may wait
 * for its answer (5 minutes), and short enough that a crash does not block a budget for long.
 */
export const HOLD_TTL_MS = 15 * 60_000;

type Budget = { name: string; limitUsd: number; period: BudgetPeriod; keyId: string | undefined; start: Date };

/** A call's hold on its budgets, until it settles. */
export type BudgetHold = {
  /** Replaces the hold with the call's real cost (null: unpriced, not counted). */
  settle(costUsd: number | null): Promise<void>;
};

const NO_HOLD: BudgetHold = { settle: async () => {} };

/**
 * Key budgets and the org's monthly cap, with holds: a call holds its worst-case cost against each
 * before it runs and is refused (402) when that does not fit, so concurrent calls cannot spend past a
 * budget by more than what their estimates missed.
 */
export class BudgetHolds {
  readonly #kv: Kv;
  readonly #db: Database;
  readonly #clock: Clock;

  constructor(options: { kv: Kv; db: Database; clock: Clock }) {
    this.#kv = options.kv;
    this.#db = options.db;
    this.#clock = options.clock;
  }

  /** Holds the call's worst case against every budget that applies, or throws 402 holding nothing. */
  async reserve(options: { principal: ApiKeyPrincipal; cost: CostEstimator }): Promise<BudgetHold> {
    const { principal } = options;
    const now = this.#clock.now();
    const budgets = this.#budgetsOf(principal, now);
    if (budgets.length === 0) return NO_HOLD;
    const [unpriced] = options.cost.bound().unpricedServerModels;
    if (unpriced) throw unpricedRefusal({ model: unpriced, budgetName: (budgets[0] as Budget).name });
    const spendBudgets = budgets.map((budget) => this.#spendBudget(principal.orgId, budget, now));
    const holdId = randomUUID();
    const attempt = (estimate: CostEstimate) =>
      this.#kv.reserveSpend({
        holdId,
        amountUsd: estimate.priced ? estimate.costUsd : 0,
        now,
        expiresAt: now + HOLD_TTL_MS,
        budgets: spendBudgets,
      });

    let estimate = options.cost.bound();
    let answer: SpendReservation = await attempt(estimate);
    const budgetOf = (refusedBy: number) => budgets[refusedBy] as Budget;
    if (!answer.admitted && estimate.priced && answer.spentUsd < budgetOf(answer.refusedBy).limitUsd) {
      // The free bound did not fit: count the input before refusing a call that may well fit.
      const counted = await options.cost.counted();
      if (counted.priced && counted.costUsd < estimate.costUsd) {
        estimate = counted;
        answer = await attempt(estimate);
      }
    }
    if (!answer.admitted) {
      const budget = budgetOf(answer.refusedBy);
      throw budgetRefusal({
        budgetName: budget.name,
        limitUsd: budget.limitUsd,
        spentUsd: answer.spentUsd,
        heldUsd: answer.heldUsd,
        resetsAt: periodEnd(budget.start, budget.period),
        estimate,
      });
    }
    return {
      settle: (costUsd) =>
        this.#kv.settleSpend({
          holdId,
          amountUsd: costUsd ?? 0,
          budgets: budgets.map((budget) => this.#spendBudget(principal.orgId, budget, this.#clock.now())),
        }),
    };
  }

  /**
   * Spend in the current period as `reserve` counts it: the kv counter, or the rollups when no call has
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
    const spendUsd = counted ?? (await this.#spentSince({ orgId: options.orgId, start, keyId: options.keyId }));
    return { spendUsd, start, end: periodEnd(start, options.period) };
  }

  #budgetsOf(principal: ApiKeyPrincipal, now: number): Budget[] {
    const { key } = principal;
    const cap = key.orgLimits.monthlySpendCapUsd;
    const budgets: Array<Omit<Budget, 'start'>> = [];
    if (key.budgetUsd !== null && key.budgetPeriod) {
      const period = key.budgetPeriod === 'day' ? 'daily' : 'monthly';
      budgets.push({
        name: `API key "${key.name}" ${period} budget`,
        limitUsd: key.budgetUsd,
        period: key.budgetPeriod,
        keyId: key.id,
      });
    }
    if (cap !== null)
      budgets.push({ name: "the org's monthly spend cap", limitUsd: cap, period: 'month', keyId: undefined });
    return budgets.map((budget) => ({ ...budget, start: periodStart(now, budget.period) }));
  }

  #spendBudget(orgId: string, budget: Budget, now: number): SpendBudget {
    return {
      key: spendCounterKey({ orgId, keyId: budget.keyId, start: budget.start }),
      limitUsd: budget.limitUsd,
      ttlMs: counterTtlMs({ start: budget.start, period: budget.period, now }),
      initial: () => this.#spentSince({ orgId, start: budget.start, keyId: budget.keyId }),
    };
  }

  /** Spend recorded in the rollups since `start`: where counters begin after a restart or a new period. */
  async #spentSince(options: { orgId: string; start: Date; keyId: string | undefined }): Promise<number> {
    const [row] = await this.#db
      .select({ spent: sql<number>`coalesce(sum(${usageRollups.costUsd}), 0)::float8` })
      .from(usageRollups)
      .where(
        and(
          eq(usageRollups.orgId, options.orgId),
          // Only spend through the gateway: what apps report by ingest was not spent through it.
          eq(usageRollups.source, 'gateway'),
          gte(usageRollups.bucketStart, options.start),
          options.keyId ? eq(usageRollups.apiKeyId, options.keyId) : undefined,
        ),
      );
    return Number(row?.spent ?? 0);
  }
}
