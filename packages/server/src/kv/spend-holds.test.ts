import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackends, type TestBackends } from '../../test/backend.js';
import { ManualClock } from '../../test/test-app.js';
import type { Kv } from './kv.js';
import type { SpendBudget } from './spend-holds.js';

let backends: TestBackends;
let kv: Kv;
beforeAll(async () => {
  backends = await createTestBackends({ clock: new ManualClock() });
  kv = backends.kv;
});
afterAll(() => backends?.close());

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const HOLD_MS = 60_000;
const budget = (key: string, limitUsd: number, initialUsd = 0): SpendBudget => ({
  key,
  limitUsd,
  ttlMs: 3_600_000,
  initial: async () => initialUsd,
});
const reserve = (options: { holdId: string; amountUsd: number; budgets: SpendBudget[]; now?: number }) =>
  kv.reserveSpend({ ...options, now: options.now ?? T0, expiresAt: (options.now ?? T0) + HOLD_MS });

describe('spend holds in the kv', () => {
  it('never holds more than the limit under concurrent reservations', async () => {
    const budgets = [budget('holds:concurrent', 1)];
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) => reserve({ holdId: `call-${index}`, amountUsd: 0.1, budgets })),
    );
    expect(answers.filter((answer) => answer.admitted)).toHaveLength(10);
    expect(await reserve({ holdId: 'one-more', amountUsd: 0.1, budgets })).toEqual({
      admitted: false,
      refusedBy: 0,
      spentUsd: 0,
      heldUsd: expect.closeTo(1, 9),
    });
  });

  it('replaces a hold with the real cost when the call settles', async () => {
    const budgets = [budget('holds:settle', 1, 0.25)];
    expect((await reserve({ holdId: 'a', amountUsd: 0.5, budgets })).admitted).toBe(true);
    expect(await reserve({ holdId: 'b', amountUsd: 0.5, budgets })).toMatchObject({ admitted: false, spentUsd: 0.25 });
    await kv.settleSpend({ holdId: 'a', amountUsd: 0.05, budgets });
    expect(await kv.getTotal('holds:settle')).toBeCloseTo(0.3, 9);
    // The 0.5 held for "a" is free again, less the 0.05 it really cost.
    expect((await reserve({ holdId: 'b', amountUsd: 0.7, budgets })).admitted).toBe(true);
  });

  it('seeds a counter once from its initial value, and refuses a budget already spent', async () => {
    let seeded = 0;
    const initial = async () => {
      seeded += 1;
      return 1;
    };
    const spent = { ...budget('holds:seeded', 1), initial };
    expect(await reserve({ holdId: 'free', amountUsd: 0, budgets: [spent] })).toMatchObject({
      admitted: false,
      spentUsd: 1,
    });
    await reserve({ holdId: 'again', amountUsd: 0, budgets: [spent] });
    expect(seeded).toBe(1);
  });

  it('holds against every budget or none', async () => {
    const key = budget('holds:all:key', 1);
    const org = budget('holds:all:org', 0.3);
    expect(await reserve({ holdId: 'big', amountUsd: 0.5, budgets: [key, org] })).toMatchObject({
      admitted: false,
      refusedBy: 1,
    });
    // The org's refusal left nothing held against the key.
    expect((await reserve({ holdId: 'whole', amountUsd: 1, budgets: [key] })).admitted).toBe(true);
  });

  it('lets a hold that is never settled lapse at its expiry', async () => {
    const budgets = [budget('holds:expiry', 1)];
    expect((await reserve({ holdId: 'crashed', amountUsd: 1, budgets })).admitted).toBe(true);
    expect((await reserve({ holdId: 'next', amountUsd: 0.1, budgets, now: T0 + HOLD_MS - 1 })).admitted).toBe(false);
    expect((await reserve({ holdId: 'next', amountUsd: 0.1, budgets, now: T0 + HOLD_MS })).admitted).toBe(true);
    // Settling the lapsed hold later still counts its real cost.
    await kv.settleSpend({ holdId: 'crashed', amountUsd: 0.2, budgets });
    expect(await kv.getTotal('holds:expiry')).toBeCloseTo(0.2, 9);
  });
});
