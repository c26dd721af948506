import { type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addHouseProvider } from '../../../test/house-provider.js';
import {
  createKey,
  createTestApp,
  setServerPrice,
  signUp,
  TEST_SECRET_KEY,
  type TestContext,
} from '../../../test/test-app.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { observations } from '../../db/telemetry-schema.js';
import { createMemoryKv } from '../../kv/memory.js';
import { createRedisKv } from '../../kv/redis.js';

let upstream: FakeOpenAi;
let context: TestContext;
let serverUrl: string;
const env = () => ({ OPENAI_API_KEY: upstream.apiKey, OPENAI_BASE_URL: upstream.baseUrl });

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  context = await createTestApp({ env: env() });
  serverUrl = await context.app.listen({ port: 0, host: '127.0.0.1' });
  // A made-up model of the fake upstream: under the free plan's cap it needs a server price.
  await setServerPrice(context.app, { model: 'openai/gpt-test', input: 0.1, output: 0.1 });
});
afterAll(async () => {
  await context?.close();
  await upstream?.close();
});

/** A new org (free plan) and a client for a key with `keyBody` limits; `prices` adds the `house` provider. */
async function orgWithKey(
  keyBody: Record<string, unknown> = {},
  url = serverUrl,
  prices?: { input: number; output: number },
) {
  const owner = await signUp(context.app);
  if (prices) await addHouseProvider({ admin: owner.client, upstream, ...prices });
  const key = await createKey(owner.client, { scopes: ['gateway'], ...keyBody });
  return { owner, key, client: new OpenAI({ baseURL: `${url}/v1`, apiKey: key.secret, maxRetries: 0 }) };
}

const hi = [{ role: 'user' as const, content: 'Hi' }];

describe('rate limits', () => {
  it('limits requests per minute per key, with OpenAI’s headers and retry-after', async () => {
    const { client } = await orgWithKey({ requestsPerMinute: 3 });
    const remaining: Array<string | null> = [];
    for (let call = 0; call < 3; call++) {
      const { response } = await client.chat.completions.create({ model: 'mock/echo', messages: hi }).withResponse();
      expect(response.headers.get('x-ratelimit-limit-requests')).toBe('3');
      remaining.push(response.headers.get('x-ratelimit-remaining-requests'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await client.chat.completions.create({ model: 'mock/echo', messages: hi }).catch((error) => error);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused.message).toContain('this API key may make 3 requests per minute');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    await context.app.services.batchWriter.flush();
    const [record] = await context.backends.database.db
      .select()
      .from(observations)
      .where(eq(observations.id, String(refused.headers.get('x-switchyard-request-id'))));
    expect(record).toMatchObject({ status: 'error', statusCode: 429, model: 'mock/echo', attempts: 0 });
  });

  it('limits requests per minute per org, changed through the API without a restart', async () => {
    const { owner, client } = await orgWithKey();
    expect((await client.chat.completions.create({ model: 'mock/echo', messages: hi })).choices).toHaveLength(1);
    const changed = await owner.client.request('PATCH', '/api/org', { limits: { requestsPerMinute: 2 } });
    expect(changed.json().limits.requestsPerMinute).toBe(2);
    await client.chat.completions.create({ model: 'mock/echo', messages: hi });
    const refused = await client.chat.completions.create({ model: 'mock/echo', messages: hi }).catch((error) => error);
    expect(refused.status).toBe(429);
    expect(refused.message).toContain('this org may make 2 requests per minute');
  });

  it('limits tokens per minute, counting each call’s tokens when it ends', async () => {
    const { client } = await orgWithKey({ tokensPerMinute: 10 });
    // The fake upstream reports 16 tokens for this call: over the limit once it has ended.
    await client.chat.completions.create({ model: 'openai/gpt-test', messages: hi });
    await expect
      .poll(
        async () =>
          (await client.chat.completions.create({ model: 'mock/echo', messages: hi }).catch((error) => error)).status,
      )
      .toBe(429);
    const refused = await client.chat.completions.create({ model: 'mock/echo', messages: hi }).catch((error) => error);
    expect(refused.message).toContain('this API key may use 10 tokens per minute');
  });

  it('caps requests in flight per org', async () => {
    const { owner, client } = await orgWithKey();
    await owner.client.request('PATCH', '/api/org', { limits: { maxConcurrentRequests: 1 } });
    const slow = await client.chat.completions.create(
      { model: 'mock/stream', messages: hi, stream: true },
      { headers: { 'x-mock-tokens': '10', 'x-mock-delay-ms': '50' } },
    );
    const refused = await client.chat.completions.create({ model: 'mock/echo', messages: hi }).catch((error) => error);
    expect(refused.status).toBe(429);
    expect(refused.message).toContain('may have 1 at once');
    for await (const _chunk of slow) {
      // let the first call finish
    }
    await expect
      .poll(
        async () =>
          (await client.chat.completions.create({ model: 'mock/echo', messages: hi }).catch((error) => error)).choices
            ?.length,
      )
      .toBe(1);
  });
});

// House prices with no input price: a call holds exactly its output cap (max_tokens: 5, what the fake
// upstream answers), so each call holds and then costs CALL_USD.
const CALL_USD = 0.005;
const house = (budget: Record<string, unknown>) => orgWithKey(budget, serverUrl, { input: 0, output: 1_000 });
const houseCall = (client: OpenAI) =>
  client.chat.completions.create({ model: 'house/gpt-test', messages: hi, max_tokens: 5 });

describe('budgets', () => {
  it('refuses a key past its daily budget with 402 naming the budget', async () => {
    const { client } = await house({ budgetUsd: 2 * CALL_USD, budgetPeriod: 'day', name: 'tight' });
    await houseCall(client);
    await houseCall(client);
    const refused = await houseCall(client).catch((error) => error);
    expect(refused.status).toBe(402);
    expect(refused.message).toMatch(
      /Spend limit reached: API key "tight" daily budget is \$0\.01 and \$0\.01 is spent; it resets at \d{4}-/,
    );
  });

  it('refuses an org past its monthly spend cap', async () => {
    const { owner, client } = await house({});
    await owner.client.request('PATCH', '/api/org', { limits: { monthlySpendCapUsd: CALL_USD } });
    await houseCall(client);
    const refused = await houseCall(client).catch((error) => error);
    expect(refused.status).toBe(402);
    expect(refused.message).toContain("the org's monthly spend cap");
  });

  it('remembers spend across a restart, from the recorded rollups', async () => {
    const { key } = await house({ budgetUsd: CALL_USD, budgetPeriod: 'month' });
    const before = new OpenAI({ baseURL: `${serverUrl}/v1`, apiKey: key.secret, maxRetries: 0 });
    await houseCall(before);
    await context.app.services.batchWriter.flush();
    // A fresh server process: same database, nothing in its kv.
    const freshKv = context.backends.redis
      ? createRedisKv({ ...context.backends.redis, prefix: `${context.backends.redis.prefix}restart:` })
      : createMemoryKv({ clock: context.clock });
    await freshKv.whenConnected(5_000);
    const restarted = await buildApp({
      config: {
        ...loadConfig({ LOG_LEVEL: 'silent', ALLOW_PRIVATE_URLS: 'true', ...env() }),
        secretKey: TEST_SECRET_KEY,
      },
      database: context.backends.database,
      kv: freshKv,
      clock: context.clock,
    });
    try {
      const url = await restarted.listen({ port: 0, host: '127.0.0.1' });
      const after = new OpenAI({ baseURL: `${url}/v1`, apiKey: key.secret, maxRetries: 0 });
      const refused = await after.chat.completions.create({ model: 'mock/echo', messages: hi }).catch((error) => error);
      expect(refused.status).toBe(402);
    } finally {
      await restarted.close();
      await freshKv.close();
    }
  });
});

describe('when the kv is down', () => {
  it('keeps serving (fails open) and counts it', async () => {
    const { key } = await orgWithKey({ requestsPerMinute: 1 });
    const deadKv = createRedisKv({ url: 'redis://127.0.0.1:1', prefix: 'dead:' });
    const app = await buildApp({
      config: { ...loadConfig({ LOG_LEVEL: 'silent' }), secretKey: TEST_SECRET_KEY },
      database: context.backends.database,
      kv: deadKv,
      clock: context.clock,
    });
    try {
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: key.secret, maxRetries: 0 });
      for (let call = 0; call < 2; call++)
        expect((await client.chat.completions.create({ model: 'mock/echo', messages: hi })).choices).toHaveLength(1);
      expect((await app.inject('/metrics')).body).toMatch(/switchyard_limiter_errors_total [1-9]/);
    } finally {
      await app.close();
      await deadKv.close();
    }
  });
});
