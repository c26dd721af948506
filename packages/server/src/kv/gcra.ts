/**
 * The generic cell rate algorithm (GCRA): a limit of N per period admits a burst of up to N, then
 * one every period/N, with no window that resets. Its whole state is one number per limit, the
 * theoretical arrival time (TAT): when the limit would be back at zero use. The Redis script in
 * `redis-rates.ts` applies these same formulas.
 */

/** A limit of `limit` units (requests or tokens) per `periodMs`, kept under `key`. */
export type RateLimit = { key: string; limit: number; periodMs: number };

/**
 * A check of one limit at admission: `cost` is what admission takes now (1 for a request); 0 takes
 * nothing and only asks for room for one more unit (tokens, known when the call ends).
 */
export type RateCheck = RateLimit & { cost: number };

export type RateState = {
  limit: number;
  /** Units counted within the last period's worth of rate; above `limit` when in debt. */
  used: number;
  remaining: number;
  /** Until the limit is back at zero use. */
  resetMs: number;
};

export type RateAdmission =
  | { admitted: true; states: RateState[] }
  /** `retryAfterMs`: until every refusing check would be admitted; `refusedBy` is the one that waits longest. */
  | { admitted: false; refusedBy: number; retryAfterMs: number; states: RateState[] };

// TATs are epoch milliseconds, where a double is exact only to ~0.0002 ms: a wait this small is no wait.
export const TOLERANCE_MS = 0.01;

const intervalOf = (limit: RateLimit) => limit.periodMs / limit.limit;

/** How long `check` must wait before it is admitted; 0 when it is admitted now. */
export function waitBeforeAdmission(options: { check: RateCheck; tat: number; now: number }): number {
  const { check, tat, now } = options;
  const wait = Math.max(0, tat - now) + Math.max(check.cost, 1) * intervalOf(check) - check.periodMs;
  return wait > TOLERANCE_MS ? wait : 0;
}

/** The TAT once `amount` units are counted. */
export function chargedTat(options: { limit: RateLimit; tat: number; now: number; amount: number }): number {
  return Math.max(options.tat, options.now) + options.amount * intervalOf(options.limit);
}

export function rateState(options: { limit: RateLimit; tat: number; now: number }): RateState {
  const { limit } = options;
  const level = Math.max(0, options.tat - options.now);
  const used = Math.max(0, Math.ceil((level - TOLERANCE_MS) / intervalOf(limit)));
  return { limit: limit.limit, used, remaining: Math.max(0, limit.limit - used), resetMs: level };
}

/** How long a TAT must be kept: past it, and a period more (a kept TAT in the past changes nothing). */
export function keepMs(options: { limit: RateLimit; tat: number; now: number }): number {
  return Math.ceil(Math.max(0, options.tat - options.now) + options.limit.periodMs);
}

/** The answer to a set of checks whose current TATs are `tats`, before anything is charged. */
export function judgeChecks(options: { checks: readonly RateCheck[]; tats: readonly number[]; now: number }): {
  refusedBy: number;
  retryAfterMs: number;
} {
  let refusedBy = -1;
  let retryAfterMs = 0;
  options.checks.forEach((check, index) => {
    const wait = waitBeforeAdmission({ check, tat: options.tats[index] ?? 0, now: options.now });
    if (wait > retryAfterMs) {
      refusedBy = index;
      retryAfterMs = wait;
    }
  });
  return { refusedBy, retryAfterMs };
}
