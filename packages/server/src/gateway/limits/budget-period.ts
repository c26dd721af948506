const DAY_MS = 24 * 3600_000;

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

/** How long a period's spend counter is kept after a write at `now`: to its end, and a day more. */
export function counterTtlMs(options: { start: Date; period: BudgetPeriod; now: number }): number {
  return periodEnd(options.start, options.period).getTime() - options.now + DAY_MS;
}

/** The kv counter of spend in one period: a key's budget, or the org's cap when `keyId` is absent. */
export function spendCounterKey(options: { orgId: string; keyId: string | undefined; start: Date }): string {
  return `spend:${options.keyId ? `key:${options.keyId}` : `org:${options.orgId}`}:${options.start.getTime()}`;
}
