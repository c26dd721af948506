import {
  computeCostUsd,
  findPrice,
  PLAN_DEFAULT_LIMITS,
  type UsageResponse,
  usageResponseSchema,
} from '@switchyard/shared';
import { FAKE_USAGE, type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKey,
  createTestApp,
  type SessionClient,
  setPlan,
  signUp,
  type TestContext,
} from '../../../test/test-app.js';

let upstream: FakeOpenAi;
let context: TestContext;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  context = await createTestApp({ env: { OPENAI_API_KEY: upstream.apiKey, OPENAI_BASE_URL: upstream.baseUrl } });
});
afterAll(async () => {
  await context?.close();
  await upstream?.close();
});

// What one call to the fake upstream costs, priced as the gateway prices it.
const CALL_COST_USD = computeCostUsd(findPrice('openai/gpt-4o-mini'), {
  inputTokens: FAKE_USAGE.prompt_tokens,
  outputTokens: FAKE_USAGE.completion_tokens,
  cachedInputTokens: FAKE_USAGE.prompt_tokens_details.cached_tokens,
}) as number;

async function chat(secret: string, model = 'openai/gpt-4o-mini') {
  const response = await context.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${secret}` },
    payload: { model, messages: [{ role: 'user', content: 'Hi' }] },
  });
  expect(response.statusCode).toBe(200);
}

async function usageOf(client: SessionClient): Promise<UsageResponse> {
  const response = await client.request('GET', '/api/usage');
  expect(response.statusCode).toBe(200);
  return usageResponseSchema.parse(response.json());
}

const keyIn = (usage: UsageResponse, id: string) => usage.keys.find((key) => key.id === id);

describe('GET /api/usage', () => {
  it('reports the plan, spend against budgets and this minute’s requests and tokens', async () => {
    const owner = await signUp(context.app);
    const limited = await createKey(owner.client, {
      name: 'limited',
      scopes: ['gateway'],
      budgetUsd: 1,
      budgetPeriod: 'day',
      requestsPerMinute: 50,
      tokensPerMinute: 10_000,
    });
    const open = await createKey(owner.client, { name: 'open', scopes: ['gateway'] });
    await chat(limited.secret);
    await chat(limited.secret);

    // Tokens and spend are counted when each call ends, just after its answer.
    await expect
      .poll(async () => keyIn(await usageOf(owner.client), limited.id)?.tokensThisMinute)
      .toBe(2 * FAKE_USAGE.total_tokens);
    const usage = await usageOf(owner.client);
    expect(usage.plan).toBe('free');
    expect(usage.limits).toEqual(PLAN_DEFAULT_LIMITS.free);
    expect(usage.org.spendThisMonthUsd).toBeCloseTo(2 * CALL_COST_USD, 12);
    expect(usage.org).toMatchObject({ requestsThisMinute: 2, tokensThisMinute: 2 * FAKE_USAGE.total_tokens });
    expect(keyIn(usage, limited.id)).toMatchObject({
      name: 'limited',
      prefix: limited.prefix,
      budgetUsd: 1,
      budgetPeriod: 'day',
      requestsPerMinute: 50,
      tokensPerMinute: 10_000,
      requestsThisMinute: 2,
    });
    expect(keyIn(usage, limited.id)?.spendThisPeriodUsd).toBeCloseTo(2 * CALL_COST_USD, 12);
    const today = new Date(context.clock.now()).toISOString().slice(0, 10);
    expect(keyIn(usage, limited.id)?.periodStart).toBe(`${today}T00:00:00.000Z`);
    // The gateway counts only what it limits, so a key without per-minute limits has no counts.
    expect(keyIn(usage, open.id)).toMatchObject({
      spendThisPeriodUsd: 0,
      requestsPerMinute: null,
      requestsThisMinute: null,
      tokensThisMinute: null,
    });
    expect(usage.keys.map((key) => key.id)).toEqual([open.id, limited.id]);
  });

  it('does not count against the limits it reads', async () => {
    const owner = await signUp(context.app);
    const key = await createKey(owner.client, { scopes: ['gateway'], requestsPerMinute: 1 });
    await chat(key.secret, 'mock/echo');
    const first = await usageOf(owner.client);
    const second = await usageOf(owner.client);
    expect(keyIn(second, key.id)?.requestsThisMinute).toBe(1);
    expect(second.org.requestsThisMinute).toBe(first.org.requestsThisMinute);
    expect(second.org.spendThisMonthUsd).toBe(first.org.spendThisMonthUsd);
  });

  it('reports spend of a key without a budget this month, from the recorded rollups', async () => {
    const owner = await signUp(context.app);
    await setPlan(context.app, owner.orgId, 'enterprise');
    const key = await createKey(owner.client, { scopes: ['gateway'] });
    await chat(key.secret);
    await context.app.services.batchWriter.flush();
    const usage = await usageOf(owner.client);
    const month = new Date(context.clock.now()).toISOString().slice(0, 7);
    expect(keyIn(usage, key.id)).toMatchObject({ budgetUsd: null, periodStart: `${month}-01T00:00:00.000Z` });
    expect(keyIn(usage, key.id)?.spendThisPeriodUsd).toBeCloseTo(CALL_COST_USD, 12);
    // No cap, no per-minute limits on the enterprise plan: spend still shows, minute counts do not.
    expect(usage.limits.monthlySpendCapUsd).toBeNull();
    expect(usage.org.spendThisMonthUsd).toBeCloseTo(CALL_COST_USD, 12);
    expect(usage.org).toMatchObject({ requestsThisMinute: null, tokensThisMinute: null });
  });

  it('leaves revoked keys out', async () => {
    const owner = await signUp(context.app);
    const kept = await createKey(owner.client, { name: 'kept' });
    const revoked = await createKey(owner.client, { name: 'revoked' });
    expect((await owner.client.request('DELETE', `/api/keys/${revoked.id}`)).statusCode).toBe(200);
    const usage = await usageOf(owner.client);
    expect(usage.keys.map((key) => key.id)).toEqual([kept.id]);
  });

  it('shows each org only its own keys and spend', async () => {
    const alpha = await signUp(context.app);
    const alphaKey = await createKey(alpha.client, { scopes: ['gateway'], budgetUsd: 5, budgetPeriod: 'month' });
    await chat(alphaKey.secret);
    const bravo = await signUp(context.app);
    const bravoKey = await createKey(bravo.client);
    await expect.poll(async () => (await usageOf(alpha.client)).org.spendThisMonthUsd).toBeGreaterThan(0);
    const seenByBravo = await usageOf(bravo.client);
    expect(seenByBravo.keys.map((key) => key.id)).toEqual([bravoKey.id]);
    expect(seenByBravo.org).toMatchObject({ spendThisMonthUsd: 0, requestsThisMinute: 0 });
  });

  it('answers viewers and admin keys, and no one else', async () => {
    const owner = await signUp(context.app);
    const viewer = await signUp(context.app);
    const invitation = (
      await owner.client.request('POST', '/api/invitations', { email: viewer.email, role: 'viewer' })
    ).json();
    await viewer.client.request('POST', '/api/invitations/accept', { token: invitation.token });
    const adminKey = await createKey(owner.client, { scopes: ['admin'] });
    const gatewayKey = await createKey(owner.client, { scopes: ['gateway'] });
    const withKey = (secret: string) =>
      context.app.inject({ url: '/api/usage', headers: { authorization: `Bearer ${secret}` } });

    expect((await usageOf(viewer.client)).keys.map((key) => key.id)).toContain(adminKey.id);
    expect((await withKey(adminKey.secret)).statusCode).toBe(200);
    expect((await withKey(gatewayKey.secret)).statusCode).toBe(403);
    expect((await context.app.inject({ url: '/api/usage' })).statusCode).toBe(401);
  });

  it('starts a daily budget again the next day', async () => {
    const owner = await signUp(context.app);
    const key = await createKey(owner.client, { scopes: ['gateway'], budgetUsd: 1, budgetPeriod: 'day' });
    await chat(key.secret);
    await expect.poll(async () => keyIn(await usageOf(owner.client), key.id)?.spendThisPeriodUsd).toBeGreaterThan(0);
    await context.app.services.batchWriter.flush();
    context.clock.advance(24 * 3600_000);
    const usage = await usageOf(owner.client);
    expect(keyIn(usage, key.id)?.spendThisPeriodUsd).toBe(0);
  });
});
