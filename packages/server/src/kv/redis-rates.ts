import type { Redis } from 'ioredis';
import { type RateAdmission, type RateCheck, type RateLimit, rateState, TOLERANCE_MS } from './gcra.js';
import type { Kv } from './kv.js';

// The formulas of gcra.ts. ARGV: now, then limit, period ms and cost per key. Returns the verdict
// (1 admitted, else 0 with the refusing index and the wait) and every key's TAT after it, as text so
// that Redis does not truncate them to integers.
const ADMIT_TO_RATES = `
local now = tonumber(ARGV[1])
local tats, refusedBy, longest = {}, -1, 0
for index, name in ipairs(KEYS) do
  local limit, period, cost = tonumber(ARGV[index * 3 - 1]), tonumber(ARGV[index * 3]), tonumber(ARGV[index * 3 + 1])
  local tat = tonumber(redis.call('GET', name) or '0')
  tats[index] = tat
  local wait = math.max(0, tat - now) + math.max(cost, 1) * (period / limit) - period
  if wait > ${TOLERANCE_MS} and wait > longest then refusedBy, longest = index - 1, wait end
end
if refusedBy == -1 then
  for index, name in ipairs(KEYS) do
    local limit, period, cost = tonumber(ARGV[index * 3 - 1]), tonumber(ARGV[index * 3]), tonumber(ARGV[index * 3 + 1])
    if cost > 0 then
      local tat = math.max(tats[index], now) + cost * (period / limit)
      tats[index] = tat
      redis.call('SET', name, string.format('%.17g', tat), 'PX', math.ceil(math.max(0, tat - now) + period))
    end
  end
end
local result = {refusedBy == -1 and 1 or 0, refusedBy, string.format('%.17g', longest)}
for index = 1, #KEYS do table.insert(result, string.format('%.17g', tats[index])) end
return result
`;

// Counts ARGV[2] more units in every key without a check. ARGV: now, amount, then limit and period per key.
const CHARGE_RATES = `
local now, amount = tonumber(ARGV[1]), tonumber(ARGV[2])
for index, name in ipairs(KEYS) do
  local limit, period = tonumber(ARGV[index * 2 + 1]), tonumber(ARGV[index * 2 + 2])
  local tat = math.max(tonumber(redis.call('GET', name) or '0'), now) + amount * (period / limit)
  redis.call('SET', name, string.format('%.17g', tat), 'PX', math.ceil(math.max(0, tat - now) + period))
end
return 0
`;

/** GCRA limits in Redis: each check-and-charge is one script, so replicas cannot interleave. */
export function createRedisRates(options: {
  commands: Redis;
  key: (name: string) => string;
}): Pick<Kv, 'admitToRates' | 'chargeRates' | 'peekRates'> {
  const { commands } = options;
  const rateKey = (limit: RateLimit) => options.key(`rate:${limit.key}`);
  return {
    async admitToRates({ now, checks }): Promise<RateAdmission> {
      if (checks.length === 0) return { admitted: true, states: [] };
      const result = (await commands.eval(
        ADMIT_TO_RATES,
        checks.length,
        ...checks.map(rateKey),
        now,
        ...checks.flatMap((check: RateCheck) => [check.limit, check.periodMs, check.cost]),
      )) as [number, number, string, ...string[]];
      const [admitted, refusedBy, retryAfterMs, ...tats] = result;
      const states = checks.map((limit, index) => rateState({ limit, tat: Number(tats[index] ?? 0), now }));
      return admitted === 1
        ? { admitted: true, states }
        : { admitted: false, refusedBy, retryAfterMs: Number(retryAfterMs), states };
    },
    async chargeRates({ now, limits, amount }) {
      if (limits.length === 0) return;
      await commands.eval(
        CHARGE_RATES,
        limits.length,
        ...limits.map(rateKey),
        now,
        amount,
        ...limits.flatMap((limit) => [limit.limit, limit.periodMs]),
      );
    },
    async peekRates({ now, limits }) {
      if (limits.length === 0) return [];
      const tats = await commands.mget(...limits.map(rateKey));
      return limits.map((limit, index) => rateState({ limit, tat: Number(tats[index] ?? 0), now }));
    },
  };
}
