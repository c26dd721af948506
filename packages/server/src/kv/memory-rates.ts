import {
  chargedTat,
  judgeChecks,
  keepMs,
  type RateAdmission,
  type RateCheck,
  type RateLimit,
  type RateState,
  rateState,
} from './gcra.js';
import type { Kv } from './kv.js';

/** The in-process kv's entries, as the rate limits read and write them. */
export type MemoryCells = {
  read(key: string): string | undefined;
  write(key: string, value: string, ttlMs: number): void;
};

/** GCRA limits in the process: one synchronous step each, so as atomic as the Redis script. */
export function createMemoryRates(cells: MemoryCells): Pick<Kv, 'admitToRates' | 'chargeRates' | 'peekRates'> {
  const tatOf = (limit: RateLimit) => Number(cells.read(`rate:${limit.key}`) ?? 0);
  const charge = (options: { limit: RateLimit; now: number; amount: number }) => {
    const tat = chargedTat({ ...options, tat: tatOf(options.limit) });
    cells.write(`rate:${options.limit.key}`, String(tat), keepMs({ ...options, tat }));
  };
  const states = (limits: readonly RateLimit[], now: number): RateState[] =>
    limits.map((limit) => rateState({ limit, tat: tatOf(limit), now }));

  return {
    async admitToRates({ now, checks }): Promise<RateAdmission> {
      const verdict = judgeChecks({ checks, tats: checks.map(tatOf), now });
      if (verdict.refusedBy !== -1) return { admitted: false, ...verdict, states: states(checks, now) };
      for (const check of checks as readonly RateCheck[])
        if (check.cost > 0) charge({ limit: check, now, amount: check.cost });
      return { admitted: true, states: states(checks, now) };
    },
    async chargeRates({ now, limits, amount }) {
      for (const limit of limits) charge({ limit, now, amount });
    },
    async peekRates({ now, limits }) {
      return states(limits, now);
    },
  };
}
