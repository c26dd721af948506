import type { Kv } from './kv.js';
import type { MemoryCells } from './memory-rates.js';
import { holdFits, type SpendBudget, type SpendReservation } from './spend-holds.js';

type Hold = { amountUsd: number; expiresAt: number };

/**
 * Budget holds in the process. Seeding a counter may wait for the database; the check and the holds
 * that follow run in one synchronous step, so concurrent calls cannot both take the last room.
 */
export function createMemorySpendHolds(cells: MemoryCells): Pick<Kv, 'reserveSpend' | 'settleSpend'> {
  const holdsByBudget = new Map<string, Map<string, Hold>>();

  const seedMissing = async (budgets: ReadonlyArray<Omit<SpendBudget, 'limitUsd'>>) => {
    return Promise.all(budgets.map((budget) => (cells.read(budget.key) === undefined ? budget.initial() : undefined)));
  };
  // Read again after seeding: another call may have created the counter meanwhile, and it wins.
  const spentOf = (budget: Omit<SpendBudget, 'limitUsd'>, seed: number | undefined) =>
    Number(cells.read(budget.key) ?? seed ?? 0);
  const liveHolds = (key: string, now: number) => {
    const holds = holdsByBudget.get(key) ?? new Map<string, Hold>();
    for (const [id, hold] of holds) if (hold.expiresAt <= now) holds.delete(id);
    holdsByBudget.set(key, holds);
    return holds;
  };

  return {
    async reserveSpend({ holdId, amountUsd, now, expiresAt, budgets }): Promise<SpendReservation> {
      const seeds = await seedMissing(budgets);
      const states = budgets.map((budget, index) => {
        const spentUsd = spentOf(budget, seeds[index]);
        cells.write(budget.key, String(spentUsd), budget.ttlMs);
        const holds = liveHolds(budget.key, now);
        const heldUsd = [...holds.values()].reduce((sum, hold) => sum + hold.amountUsd, 0);
        return { spentUsd, heldUsd, holds };
      });
      const refusedBy = states.findIndex(
        (state, index) => !holdFits({ limitUsd: budgets[index]?.limitUsd ?? 0, amountUsd, ...state }),
      );
      const refused = states[refusedBy];
      if (refused) return { admitted: false, refusedBy, spentUsd: refused.spentUsd, heldUsd: refused.heldUsd };
      for (const state of states) state.holds.set(holdId, { amountUsd, expiresAt });
      return { admitted: true };
    },
    async settleSpend({ holdId, amountUsd, budgets }) {
      const seeds = await seedMissing(budgets);
      budgets.forEach((budget, index) => {
        const holds = holdsByBudget.get(budget.key);
        holds?.delete(holdId);
        if (holds?.size === 0) holdsByBudget.delete(budget.key);
        cells.write(budget.key, String(spentOf(budget, seeds[index]) + amountUsd), budget.ttlMs);
      });
    },
  };
}
