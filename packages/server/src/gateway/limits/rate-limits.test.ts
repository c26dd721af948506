import { type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
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

const MINUTE_MS = 60_000;

/** Moves the manual clock forward to the next time that is `second` seconds into a minute (e.g. 59.5). */
function moveClockTo(second: number): void {
  const intoMinute = context.clock.now() % MINUTE_MS;
  context.clock.advance((second * 1_000 - intoMinute + MINUTE_MS) % MINUTE_MS || MINUTE_MS);
}

async function chat(secret: string, model = 'mock/echo') {
  return context.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${secret}` },
    payload: { model, messages: [{ role: 'user', content: 'Hi' }] },
  });
}

/** An org without plan limits, so only the limits a test sets apply. */
async function enterpriseOrg(): Promise<SessionClient> {
  const owner = await signUp(context.app);
  await setPlan(context.app, owner.orgId, 'enterprise');
  return owner.client;
}

describe('requests per minute (GCRA)', () => {
  it('lets no second burst through at a minute boundary: 100/min is 100 at once, then one per 0.6 s', async () => {
    const owner = await enterpriseOrg();
    const key = await createKey(owner, { scopes: ['gateway'], requestsPerMinute: 100 });
    moveClockTo(59.5);
    const first = [];
    for (let call = 0; call < 100; call++) first.push((await chat(key.secret)).statusCode);
    expect(first.every((status) => status === 200)).toBe(true);
    // One second later, across the boundary: a calendar window would admit 100 more; the rate has earned one.
    context.clock.advance(1_000);
    const second = [];
    for (let call = 0; call < 100; call++) second.push(await chat(key.secret));
    expect(second.filter((response) => response.statusCode === 200)).toHaveLength(1);
    const refused = second[1];
    expect(refused?.statusCode).toBe(429);
    expect(refused?.json().error.message).toContain('this API key may make 100 requests per minute');
    // The 102nd request is due 1.2 s after the burst: 0.2 s from now, rounded up to whole seconds.
    expect(refused?.headers['retry-after']).toBe('1');
    expect(refused?.headers).toMatchObject({
      'x-ratelimit-limit-requests': '100',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '59.6s',
    });
    context.clock.advance(200);
    expect((await chat(key.secret)).statusCode).toBe(200);
    expect((await chat(key.secret)).statusCode).toBe(429);
  });

  it('reports the limit, what remains and when it is full again on every answer', async () => {
    const owner = await enterpriseOrg();
    const key = await createKey(owner, { scopes: ['gateway'], requestsPerMinute: 4 });
    const first = await chat(key.secret);
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit-requests': '4',
      'x-ratelimit-remaining-requests': '3',
      'x-ratelimit-reset-requests': '15s',
    });
    const second = await chat(key.secret);
    expect(second.headers).toMatchObject({
      'x-ratelimit-remaining-requests': '2',
      'x-ratelimit-reset-requests': '30s',
    });
    context.clock.advance(20_000);
    // 20 s drained one request and a third of another: 1 counted, full again in 10 s.
    const third = await chat(key.secret);
    expect(third.headers).toMatchObject({ 'x-ratelimit-remaining-requests': '2', 'x-ratelimit-reset-requests': '25s' });
  });

  it('counts a request against the key and the org limits all or nothing', async () => {
    const owner = await enterpriseOrg();
    await owner.request('PATCH', '/api/org', { limits: { requestsPerMinute: 3 } });
    const tight = await createKey(owner, { scopes: ['gateway'], requestsPerMinute: 2 });
    const other = await createKey(owner, { scopes: ['gateway'] });
    expect((await chat(tight.secret)).statusCode).toBe(200);
    expect((await chat(tight.secret)).statusCode).toBe(200);
    const byKey = await chat(tight.secret);
    expect(byKey.json().error.message).toContain('this API key may make 2 requests per minute');
    // The key's refusal took nothing from the org: its third request is still there, and no fourth.
    expect((await chat(other.secret)).statusCode).toBe(200);
    const byOrg = await chat(other.secret);
    expect(byOrg.statusCode).toBe(429);
    expect(byOrg.json().error.message).toContain('this org may make 3 requests per minute');
  });
});

describe('tokens per minute (GCRA)', () => {
  it('drains a debt at the rate, with no reset at the minute boundary', async () => {
    const owner = await enterpriseOrg();
    const key = await createKey(owner, { scopes: ['gateway'], tokensPerMinute: 10 });
    moveClockTo(50);
    // The fake upstream reports 16 tokens: 6 over a limit of 10 a minute, so 96 s of rate to drain.
    expect((await chat(key.secret, 'openai/gpt-test')).statusCode).toBe(200);
    const refused = await chat(key.secret);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toContain('this API key may use 10 tokens per minute and 16 are counted');
    // Room for one token again after 96 - 60 + 6 = 42 s.
    expect(refused.headers['retry-after']).toBe('42');
    expect(refused.headers['x-ratelimit-remaining-tokens']).toBe('0');
    context.clock.advance(30_000);
    expect((await chat(key.secret)).statusCode).toBe(429);
    context.clock.advance(12_000);
    const admitted = await chat(key.secret);
    expect(admitted.statusCode).toBe(200);
    expect(admitted.headers['x-ratelimit-remaining-tokens']).toBe('1');
  });
});
