import { type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { and, eq, sql } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addHouseProvider } from '../../../test/house-provider.js';
import { createKey, createTestApp, setPlan, signUp, type TestContext } from '../../../test/test-app.js';
import type { App } from '../../app.js';
import { observations } from '../../db/telemetry-schema.js';
import { HOLD_TTL_MS } from './budget-holds.js';

let upstream: FakeOpenAi;
let context: TestContext;
let replicas: App[];
let urls: string[];

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  context = await createTestApp();
  // Three replicas on one database and, on the services backend, three Redis connections.
  replicas = [context.app, await context.replica(), await context.replica()];
  urls = await Promise.all(replicas.map((app) => app.listen({ port: 0, host: '127.0.0.1' })));
});
afterAll(async () => {
  await context?.close();
  await upstream?.close();
});

const hi = [{ role: 'user' as const, content: 'Hi' }];
// The fake upstream reports 11 input tokens (3 of them cached) and 5 output tokens for every answer.
const costOf = (price: { input: number; output: number }) => (11 * price.input + 5 * price.output) / 1_000_000;

/** An enterprise org (no per-minute limits) with the `house` provider at `price`, and a key with `keyBody`. */
async function houseKey(price: { input: number; output: number }, keyBody: Record<string, unknown>) {
  const owner = await signUp(context.app);
  await setPlan(context.app, owner.orgId, 'enterprise');
  await addHouseProvider({ admin: owner.client, upstream, ...price });
  const key = await createKey(owner.client, { scopes: ['gateway'], budgetPeriod: 'month', ...keyBody });
  const client = (url = urls[0]) => new OpenAI({ baseURL: `${url}/v1`, apiKey: key.secret, maxRetries: 0 });
  return { owner, key, client };
}

async function recordedSpend(keyId: string): Promise<{ calls: number; spendUsd: number }> {
  await Promise.all(replicas.map((app) => app.services.batchWriter.flush()));
  const [row] = await context.backends.database.db
    .select({
      calls: sql<number>`count(*)::int`,
      spendUsd: sql<number>`coalesce(sum(${observations.costUsd}), 0)::float8`,
    })
    .from(observations)
    .where(and(eq(observations.apiKeyId, keyId), eq(observations.status, 'success')));
  return { calls: Number(row?.calls ?? 0), spendUsd: Number(row?.spendUsd ?? 0) };
}

describe('budget holds', () => {
  it('refuses a call whose worst case does not fit, saying what it would hold and what is left', async () => {
    // No input price: a call holds exactly max_tokens × $1,000 per million.
    const { client } = await houseKey({ input: 0, output: 1_000 }, { name: 'ci', budgetUsd: 0.05 });
    await client().chat.completions.create({ model: 'house/gpt-test', messages: hi, max_tokens: 40 });
    const refused = await client()
      .chat.completions.create({ model: 'house/gpt-test', messages: hi, max_tokens: 50 })
      .catch((error) => error);
    expect(refused.status).toBe(402);
    expect(refused.code).toBe('budget_exceeded');
    expect(refused.message).toMatch(
      /^402 Spend limit reached: this call could cost up to \$0\.050 \(\d+ input tokens at most, up to 50 output tokens on house\/gpt-test\); \$0\.045 of API key "ci" monthly budget \$0\.05 is left \(\$0\.0050 spent, \$0\.00 held by calls in flight\); send a smaller max_tokens; it resets at \d{4}-/,
    );
    // What the message asks for works: the same call with a smaller max_tokens is admitted.
    const smaller = await client().chat.completions.create({ model: 'house/gpt-test', messages: hi, max_tokens: 45 });
    expect(smaller.choices).toHaveLength(1);
  });

  it('settles each call to its real cost, and a failed call to nothing', async () => {
    const price = { input: 0, output: 1_000 };
    const { owner, key, client } = await houseKey(price, { budgetUsd: 1 });
    await client().chat.completions.create({ model: 'house/gpt-test', messages: hi, max_tokens: 500 });
    const failed = await client()
      .chat.completions.create({ model: 'house/fail-500', messages: hi, max_tokens: 500 })
      .catch((error) => error);
    expect(failed.status).toBe(502);
    const usage = (await owner.client.request('GET', '/api/usage')).json();
    const spend = usage.keys.find((entry: { id: string }) => entry.id === key.id)?.spendThisPeriodUsd;
    // 5 output tokens were spent, not the 500 held; the failure cost nothing.
    expect(spend).toBeCloseTo(costOf(price), 12);
    // Nothing stays held: a call that holds all that is left but the one cost fits.
    const rest = Math.floor((1 - costOf(price)) * 1_000);
    expect(
      (await client().chat.completions.create({ model: 'house/gpt-test', messages: hi, max_tokens: rest })).choices,
    ).toHaveLength(1);
  });

  it('gives the hold back when another limit refuses the call', async () => {
    const price = { input: 0, output: 1_000 };
    const { owner, client } = await houseKey(price, { budgetUsd: 0.2 });
    await owner.client.request('PATCH', '/api/org', { limits: { maxConcurrentRequests: 1 } });
    // Each call holds $0.1: one in flight and one refused for concurrency hold the whole budget between them.
    const slow = client().chat.completions.create({ model: 'house/slow-500', messages: hi, max_tokens: 100 });
    await expect.poll(() => upstream.received.some((request) => request.body.model === 'slow-500')).toBe(true);
    const refused = await client()
      .chat.completions.create({ model: 'house/gpt-test', messages: hi, max_tokens: 100 })
      .catch((error) => error);
    expect(refused.status).toBe(429);
    await slow;
    // Had the refused call kept its hold, this one would not fit.
    const next = await client().chat.completions.create({ model: 'house/gpt-test', messages: hi, max_tokens: 100 });
    expect(next.choices).toHaveLength(1);
  });

  it('lets the hold of a call that never settles lapse after its expiry', async () => {
    const { client } = await houseKey({ input: 0, output: 1_000 }, { budgetUsd: 0.1 });
    // A call in flight on another replica holds the whole budget; its settlement may never come (a crash).
    const stuck = client(urls[1]).chat.completions.create({ model: 'house/slow-1500', messages: hi, max_tokens: 100 });
    await expect.poll(() => upstream.received.some((request) => request.body.model === 'slow-1500')).toBe(true);
    const refused = await client(urls[2])
      .chat.completions.create({ model: 'house/gpt-test', messages: hi, max_tokens: 100 })
      .catch((error) => error);
    expect(refused.status).toBe(402);
    expect(refused.message).toContain('$0.10 held by calls in flight');
    context.clock.advance(HOLD_TTL_MS);
    const admitted = await client(urls[2]).chat.completions.create({
      model: 'house/gpt-test',
      messages: hi,
      max_tokens: 90,
    });
    expect(admitted.choices).toHaveLength(1);
    await stuck;
  });

  it('counts a long prompt’s tokens before refusing it when its byte size does not fit', async () => {
    // $1 per million input tokens: 60,000 bytes bound the prompt at $0.06, more than the $0.04 budget;
    // counted, it is about 10,000 tokens, times 2 for other tokenizers: $0.02.
    const { client } = await houseKey({ input: 1, output: 0 }, { budgetUsd: 0.04 });
    const prompt = 'Budgets should admit what fits. '.repeat(1_900);
    const answer = await client().chat.completions.create({
      model: 'house/gpt-test',
      messages: [{ role: 'user', content: prompt }],
      max_tokens: 5,
    });
    expect(answer.choices).toHaveLength(1);
  });

  it('admits calls to a model without a price without counting them, and says so nowhere else', async () => {
    const { owner, key, client } = await houseKey({ input: 0, output: 1_000 }, { budgetUsd: 0.001 });
    // The org's own provider with no price: what its calls cost is unknown, so budgets cannot count them.
    await owner.client.request('POST', '/api/providers', {
      name: 'byo',
      kind: 'openai-compatible',
      baseUrl: upstream.baseUrl,
      apiKey: upstream.apiKey,
    });
    const unpriced = await client().chat.completions.create({ model: 'byo/gpt-test', messages: hi, max_tokens: 5_000 });
    expect(unpriced.choices).toHaveLength(1);
    const priced = await client()
      .chat.completions.create({ model: 'house/gpt-test', messages: hi, max_tokens: 5_000 })
      .catch((error) => error);
    expect(priced.status).toBe(402);
    expect(await recordedSpend(key.id)).toEqual({ calls: 1, spendUsd: 0 });
  });
});

describe('budget overshoot across 3 replicas', () => {
  // $1 in, $100 out per million tokens: each call costs $0.000511 and holds a little more (its bytes).
  const price = { input: 1, output: 100 };
  const IDEAL_CALLS = 25;

  /** Calls from `concurrency` clients at once, spread over the replicas, until a round admits none. */
  async function spendDown(secret: string, concurrency: number): Promise<{ admitted: number; refused: number }> {
    let admitted = 0;
    let refused = 0;
    let call = 0;
    for (let round = 0; round < 20; round++) {
      const before = admitted;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (;;) {
            const url = urls[call++ % (urls.length as number)];
            const response = await fetch(`${url}/v1/chat/completions`, {
              method: 'POST',
              headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
              body: JSON.stringify({ model: 'house/slow-100', messages: hi, max_tokens: 5 }),
            });
            await response.arrayBuffer();
            if (response.status !== 200) {
              expect(response.status).toBe(402);
              refused += 1;
              return;
            }
            admitted += 1;
          }
        }),
      );
      if (admitted === before) break;
    }
    return { admitted, refused };
  }

  it.each([1, 6, 60])('spends at most one call past the budget at concurrency %i', async (concurrency) => {
    const budgetUsd = IDEAL_CALLS * costOf(price);
    const { key } = await houseKey(price, { budgetUsd });
    const { admitted, refused } = await spendDown(key.secret, concurrency);
    const recorded = await recordedSpend(key.id);
    console.log(
      `budget ${IDEAL_CALLS} calls, concurrency ${concurrency}, 3 replicas: ${admitted} admitted, ${refused} refused, ` +
        `spend ${((recorded.spendUsd / budgetUsd) * 100).toFixed(1)}% of the budget`,
    );
    expect(recorded.calls).toBe(admitted);
    expect(recorded.spendUsd).toBeLessThanOrEqual(budgetUsd + costOf(price) + 1e-12);
    expect(admitted).toBeGreaterThanOrEqual(IDEAL_CALLS - 1);
  });
});
