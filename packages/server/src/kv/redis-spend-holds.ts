import type { Redis } from 'ioredis';
import type { Kv } from './kv.js';
import { holdKeys, SPEND_TOLERANCE_USD, type SpendBudget } from './spend-holds.js';

// KEYS: per budget its counter, its hold expiries (sorted set) and hold amounts (hash). ARGV: hold
// id, amount, now, expires at, then per budget: limit, counter TTL ms, seed ('' when not known). A
// counter without a seed answers {-1, indexes…} and changes nothing, so the caller can seed it from
// the database and call again. Otherwise expired holds are purged, every budget is checked as
// `holdFits` does, and the hold is placed in all of them or in none.
const RESERVE_SPEND = `
local holdId, amount, now, expiresAt = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local count = #KEYS / 3
local missing = {-1}
for budget = 1, count do
  if redis.call('EXISTS', KEYS[budget * 3 - 2]) == 0 and ARGV[budget * 3 + 4] == '' then
    table.insert(missing, budget - 1)
  end
end
if #missing > 1 then return missing end
for budget = 1, count do
  local counter, expiries, amounts = KEYS[budget * 3 - 2], KEYS[budget * 3 - 1], KEYS[budget * 3]
  local limit, ttl, seed = tonumber(ARGV[budget * 3 + 2]), ARGV[budget * 3 + 3], ARGV[budget * 3 + 4]
  if redis.call('EXISTS', counter) == 0 then redis.call('SET', counter, seed) end
  redis.call('PEXPIRE', counter, ttl)
  for _, expired in ipairs(redis.call('ZRANGEBYSCORE', expiries, '-inf', now)) do
    redis.call('HDEL', amounts, expired)
  end
  redis.call('ZREMRANGEBYSCORE', expiries, '-inf', now)
  local held = 0
  for _, value in ipairs(redis.call('HVALS', amounts)) do held = held + tonumber(value) end
  local spent = tonumber(redis.call('GET', counter))
  if spent >= limit or (amount > 0 and spent + held + amount > limit + ${SPEND_TOLERANCE_USD}) then
    return {0, budget - 1, string.format('%.17g', spent), string.format('%.17g', held)}
  end
end
for budget = 1, count do
  local expiries, amounts, ttl = KEYS[budget * 3 - 1], KEYS[budget * 3], ARGV[budget * 3 + 3]
  redis.call('ZADD', expiries, expiresAt, holdId)
  redis.call('HSET', amounts, holdId, ARGV[2])
  redis.call('PEXPIRE', expiries, ttl)
  redis.call('PEXPIRE', amounts, ttl)
end
return {1}
`;

// KEYS as above. ARGV: hold id, real cost, then per budget: counter TTL ms, seed. Removes the hold and
// adds the real cost to every counter, or (a counter missing without a seed) changes nothing.
const SETTLE_SPEND = `
local count = #KEYS / 3
local missing = {-1}
for budget = 1, count do
  if redis.call('EXISTS', KEYS[budget * 3 - 2]) == 0 and ARGV[budget * 2 + 2] == '' then
    table.insert(missing, budget - 1)
  end
end
if #missing > 1 then return missing end
for budget = 1, count do
  local counter, expiries, amounts = KEYS[budget * 3 - 2], KEYS[budget * 3 - 1], KEYS[budget * 3]
  redis.call('ZREM', expiries, ARGV[1])
  redis.call('HDEL', amounts, ARGV[1])
  if redis.call('EXISTS', counter) == 0 then redis.call('SET', counter, ARGV[budget * 2 + 2]) end
  redis.call('INCRBYFLOAT', counter, ARGV[2])
  redis.call('PEXPIRE', counter, ARGV[budget * 2 + 1])
end
return {1}
`;

type SeededBudget = Omit<SpendBudget, 'limitUsd'>;

/** Budget holds in Redis: one script per reservation and per settlement, with the seeds it asks for. */
export function createRedisSpendHolds(options: {
  commands: Redis;
  key: (name: string) => string;
}): Pick<Kv, 'reserveSpend' | 'settleSpend'> {
  const { commands } = options;
  const keysOf = (budgets: readonly SeededBudget[]) =>
    budgets.flatMap((budget) => {
      const holds = holdKeys(options.key(budget.key));
      return [options.key(budget.key), holds.expiries, holds.amounts];
    });
  /** Runs `script`; when it names counters to seed, seeds them from `initial` and runs it once more. */
  const withSeeds = async <TBudget extends SeededBudget>(call: {
    budgets: readonly TBudget[];
    run: (seeds: string[]) => Promise<unknown>;
  }): Promise<Array<number | string>> => {
    const seeds = call.budgets.map(() => '');
    let result = (await call.run(seeds)) as Array<number | string>;
    if (result[0] !== -1) return result;
    for (const index of result.slice(1) as number[])
      seeds[index] = String(await (call.budgets[index] as TBudget).initial());
    result = (await call.run(seeds)) as Array<number | string>;
    return result;
  };

  return {
    async reserveSpend({ holdId, amountUsd, now, expiresAt, budgets }) {
      const result = await withSeeds({
        budgets,
        run: (seeds) =>
          commands.eval(
            RESERVE_SPEND,
            budgets.length * 3,
            ...keysOf(budgets),
            holdId,
            amountUsd,
            now,
            expiresAt,
            ...budgets.flatMap((budget, index) => [budget.limitUsd, budget.ttlMs, seeds[index] ?? '']),
          ),
      });
      if (result[0] === 1) return { admitted: true };
      return {
        admitted: false,
        refusedBy: Number(result[1]),
        spentUsd: Number(result[2]),
        heldUsd: Number(result[3]),
      };
    },
    async settleSpend({ holdId, amountUsd, budgets }) {
      if (budgets.length === 0) return;
      await withSeeds({
        budgets,
        run: (seeds) =>
          commands.eval(
            SETTLE_SPEND,
            budgets.length * 3,
            ...keysOf(budgets),
            holdId,
            amountUsd,
            ...budgets.flatMap((budget, index) => [budget.ttlMs, seeds[index] ?? '']),
          ),
      });
    },
  };
}
