import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackends, type TestBackends } from '../../test/backend.js';
import { ManualClock } from '../../test/test-app.js';
import type { Kv } from './kv.js';

let backends: TestBackends;
let kv: Kv;
beforeAll(async () => {
  backends = await createTestBackends({ clock: new ManualClock() });
  kv = backends.kv;
});
afterAll(() => backends?.close());

const MINUTE_MS = 60_000;
// A fixed instant: these primitives take the time from their caller, not from the store.
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const requestCheck = (key: string, limit: number) => ({ key, limit, periodMs: MINUTE_MS, cost: 1 });

describe('GCRA rate limits in the kv', () => {
  it('admits a burst of the limit at once, then one per period/limit', async () => {
    const check = requestCheck('rates:burst', 10);
    const burst = await Promise.all(Array.from({ length: 15 }, () => kv.admitToRates({ now: T0, checks: [check] })));
    expect(burst.filter((answer) => answer.admitted)).toHaveLength(10);
    const refused = await kv.admitToRates({ now: T0, checks: [check] });
    expect(refused).toMatchObject({ admitted: false, refusedBy: 0 });
    // One request is earned every 6 s: the wait is exactly that, then one more passes and no other.
    expect(refused.admitted ? 0 : refused.retryAfterMs).toBeCloseTo(6_000, 3);
    expect((await kv.admitToRates({ now: T0 + 5_999, checks: [check] })).admitted).toBe(false);
    expect((await kv.admitToRates({ now: T0 + 6_000, checks: [check] })).admitted).toBe(true);
    expect((await kv.admitToRates({ now: T0 + 6_000, checks: [check] })).admitted).toBe(false);
  });

  it('reports what is used and remaining, and when the limit is back at zero use', async () => {
    const check = requestCheck('rates:state', 100);
    await kv.admitToRates({ now: T0, checks: [check] });
    const second = await kv.admitToRates({ now: T0, checks: [check] });
    expect(second.states[0]).toEqual({ limit: 100, used: 2, remaining: 98, resetMs: 1_200 });
    const [later] = await kv.peekRates({ now: T0 + 700, limits: [check] });
    expect(later).toMatchObject({ used: 1, remaining: 99 });
    expect(later?.resetMs).toBeCloseTo(500, 6);
    expect((await kv.peekRates({ now: T0 + 5_000, limits: [check] }))[0]).toMatchObject({ used: 0, resetMs: 0 });
  });

  it('checks several limits all or nothing', async () => {
    const org = requestCheck('rates:all-or-nothing:org', 3);
    const key = requestCheck('rates:all-or-nothing:key', 2);
    expect((await kv.admitToRates({ now: T0, checks: [org, key] })).admitted).toBe(true);
    expect((await kv.admitToRates({ now: T0, checks: [org, key] })).admitted).toBe(true);
    const third = await kv.admitToRates({ now: T0, checks: [org, key] });
    expect(third).toMatchObject({ admitted: false, refusedBy: 1 });
    // The key's refusal did not use up the org's third request.
    expect((await kv.admitToRates({ now: T0, checks: [org] })).admitted).toBe(true);
    expect((await kv.admitToRates({ now: T0, checks: [org] })).admitted).toBe(false);
  });

  it('charges tokens after the fact and refuses only while the limit is in debt', async () => {
    const tokens = { key: 'rates:tokens', limit: 1_000, periodMs: MINUTE_MS };
    const peek = { ...tokens, cost: 0 };
    expect((await kv.admitToRates({ now: T0, checks: [peek] })).admitted).toBe(true);
    await kv.chargeRates({ now: T0, limits: [tokens], amount: 1_500 });
    const [state] = await kv.peekRates({ now: T0, limits: [tokens] });
    expect(state).toMatchObject({ used: 1_500, remaining: 0 });
    const refused = await kv.admitToRates({ now: T0, checks: [peek] });
    // 500 tokens of debt and room for one more: 501 tokens at 1,000 a minute.
    expect(refused.admitted ? 0 : refused.retryAfterMs).toBeCloseTo(30_060, 3);
    // A peek takes nothing: the state is unchanged, and the debt drains with time alone.
    expect((await kv.peekRates({ now: T0, limits: [tokens] }))[0]?.used).toBe(1_500);
    expect((await kv.admitToRates({ now: T0 + 30_060, checks: [peek] })).admitted).toBe(true);
  });

  it('starts again from zero use once a limit is idle for its period', async () => {
    const check = requestCheck('rates:idle', 2);
    await kv.admitToRates({ now: T0, checks: [check] });
    await kv.admitToRates({ now: T0, checks: [check] });
    const later = await kv.admitToRates({ now: T0 + MINUTE_MS, checks: [check] });
    expect(later.states[0]).toMatchObject({ used: 1, remaining: 1 });
  });
});
