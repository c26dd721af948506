/**
 * Spend budgets with holds: before a call, its worst-case cost is held against every budget that
 * applies, all or nothing; after it, the hold is replaced by the real cost. Holds expire, so a
 * replica that dies mid-call does not keep its holds.
 */

/** One budget: its spend counter, its limit, and where the counter starts when absent. */
export type SpendBudget = {
  /** The spend counter (a decimal total in USD). Its holds are kept beside it. */
  key: string;
  limitUsd: number;
  /** How long the counter is kept after each write. */
  ttlMs: number;
  /** The counter's value when it does not exist yet (the recorded spend of the period). */
  initial: () => Promise<number>;
};

export type ReserveSpendOptions = {
  holdId: string;
  amountUsd: number;
  now: number;
  /** When the hold stops counting if it is never settled. */
  expiresAt: number;
  budgets: readonly SpendBudget[];
};

export type SettleSpendOptions = {
  holdId: string;
  /** The call's real cost, added to every budget's counter; 0 releases the hold alone. */
  amountUsd: number;
  budgets: ReadonlyArray<Omit<SpendBudget, 'limitUsd'>>;
};

export type SpendReservation =
  | { admitted: true }
  /** The first budget that had no room, with what it had spent and held (live holds) then. */
  | { admitted: false; refusedBy: number; spentUsd: number; heldUsd: number };

// Sums of decimal dollars carry float error; a nano-dollar over is not over.
export const SPEND_TOLERANCE_USD = 1e-9;

/**
 * Whether `amountUsd` fits a budget that has `spentUsd` spent and `heldUsd` held. A call that holds
 * nothing (free, or unpriced) is refused only once the budget is spent.
 */
export function holdFits(options: { limitUsd: number; spentUsd: number; heldUsd: number; amountUsd: number }): boolean {
  const { limitUsd, spentUsd, heldUsd, amountUsd } = options;
  if (spentUsd >= limitUsd) return false;
  return amountUsd === 0 || spentUsd + heldUsd + amountUsd <= limitUsd + SPEND_TOLERANCE_USD;
}

/** The keys of a budget's holds: ids by expiry, and each id's amount. */
export function holdKeys(spendKey: string): { expiries: string; amounts: string } {
  return { expiries: `${spendKey}:holds`, amounts: `${spendKey}:held` };
}
