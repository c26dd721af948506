import { type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayFixture, startGatewayFixture } from '../../test/gateway-fixture.js';
import { createKey, setPlan, signUp, signUpOperator } from '../../test/test-app.js';
import { observations } from '../db/telemetry-schema.js';

let upstream: FakeOpenAi;
let fixture: GatewayFixture;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  fixture = await startGatewayFixture({ OPENAI_API_KEY: upstream.apiKey, OPENAI_BASE_URL: upstream.baseUrl });
});
afterAll(async () => {
  await fixture?.close();
  await upstream?.close();
});

const hi = [{ role: 'user' as const, content: 'Hi there' }];

/** One call through the gateway and the cost its record was given. */
async function costOfCall(model: string): Promise<number | null | undefined> {
  const { response } = await fixture.openai.chat.completions.create({ model, messages: hi }).withResponse();
  await fixture.context.app.services.batchWriter.flush();
  const [row] = await fixture.context.backends.database.db
    .select({ costUsd: observations.costUsd })
    .from(observations)
    .where(
      and(
        eq(observations.orgId, fixture.orgId),
        eq(observations.id, String(response.headers.get('x-switchyard-request-id'))),
      ),
    );
  return row?.costUsd;
}

// The fake upstream reports 11 prompt tokens (3 of them cached) and 5 completion tokens.
const USAGE = { uncached: 8, cached: 3, output: 5 };
const costAt = (input: number, output: number, cachedInput = input) =>
  (USAGE.uncached * input + USAGE.cached * cachedInput + USAGE.output * output) / 1_000_000;

/** A second signed-in instance operator, as `switchyard operator grant` makes one. */
async function operatorClient() {
  return (await signUpOperator(fixture.context.app)).client;
}

describe('prices of calls through the server-wide providers', () => {
  it('are the operator’s: an org’s own price for them changes nothing', async () => {
    const before = await costOfCall('openai/gpt-4o-mini');
    expect(before).toBeCloseTo(costAt(0.15, 0.6, 0.075), 12);
    // The attack from the security review: free calls on the server's key, by pricing them at zero.
    const zeroed = await fixture.owner.request('PUT', '/api/prices', { model: 'openai/*', input: 0, output: 0 });
    expect(zeroed.statusCode).toBe(200);
    expect(await costOfCall('openai/gpt-4o-mini')).toBeCloseTo(before ?? Number.NaN, 12);
    await fixture.owner.request('DELETE', `/api/prices/${zeroed.json().id}`);
  });

  it('follow the operator’s price once it is set, for every org, and the built-in one after it is removed', async () => {
    const operator = await operatorClient();
    const put = await operator.request('PUT', '/api/operator/prices', {
      model: 'openai/gpt-4o-mini',
      input: 0.1,
      output: 0.3,
      cachedInput: 0.01,
    });
    expect(put.statusCode).toBe(200);
    expect(await costOfCall('openai/gpt-4o-mini')).toBeCloseTo(costAt(0.1, 0.3, 0.01), 12);
    const listed = (await fixture.owner.request('GET', '/api/prices')).json().data;
    expect(listed).toContainEqual(
      expect.objectContaining({ model: 'openai/gpt-4o-mini', input: 0.1, source: 'server' }),
    );

    const removed = await operator.request('DELETE', `/api/operator/prices/${put.json().id}`);
    expect(removed.statusCode).toBe(204);
    expect(await costOfCall('openai/gpt-4o-mini')).toBeCloseTo(costAt(0.15, 0.6, 0.075), 12);
  });

  it('price a model the built-in table does not know by a prefix; an exact model wins over it', async () => {
    const operator = await operatorClient();
    expect(await costOfCall('openai/ft:house-model:v1')).toBeNull();
    await operator.request('PUT', '/api/operator/prices', { model: 'openai/ft:*', input: 2, output: 4 });
    await operator.request('PUT', '/api/operator/prices', { model: 'openai/ft:house-model:v2', input: 5, output: 6 });
    expect(await costOfCall('openai/ft:house-model:v1')).toBeCloseTo(costAt(2, 4), 12);
    expect(await costOfCall('openai/ft:house-model:v2')).toBeCloseTo(costAt(5, 6), 12);
  });

  it('are set by operators only: not an org owner, not an admin key', async () => {
    const owner = await signUp(fixture.context.app);
    const ownerKey = await createKey(owner.client, { scopes: ['admin'] });
    const body = { model: 'openai/*', input: 0, output: 0 };
    const bySession = await owner.client.request('PUT', '/api/operator/prices', body);
    expect(bySession.statusCode).toBe(403);
    expect(bySession.json().error.code).toBe('operator_only');
    const byKey = await fixture.context.app.inject({
      method: 'PUT',
      url: '/api/operator/prices',
      headers: { authorization: `Bearer ${ownerKey.secret}` },
      payload: body,
    });
    expect(byKey.statusCode).toBe(403);
    expect(byKey.json().error.code).toBe('session_required');
  });
});

describe('a model with no price on the server’s keys', () => {
  it('is refused under a budget, naming who can price it, and runs once the operator has', async () => {
    const budgeted = await createKey(fixture.owner, { scopes: ['gateway'], budgetUsd: 1, budgetPeriod: 'day' });
    const call = () =>
      fixture.context.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { authorization: `Bearer ${budgeted.secret}` },
        payload: { model: 'openai/gpt-next', messages: hi },
      });
    const refused = await call();
    expect(refused.statusCode).toBe(402);
    expect(refused.json().error).toMatchObject({
      code: 'model_unpriced',
      param: 'model',
      message:
        'openai/gpt-next has no price on this server, so its cost cannot be counted against API key "test key" daily budget; the server\'s operator can set one (PUT /api/operator/prices), or use a model with a price',
    });
    // Without a budget (the fixture's org has no cap), the same model runs: its cost is only unknown.
    expect(await costOfCall('openai/gpt-next')).toBeNull();
    const operator = await operatorClient();
    await operator.request('PUT', '/api/operator/prices', { model: 'openai/gpt-next', input: 1, output: 1 });
    expect((await call()).statusCode).toBe(200);
  });
});

describe('an org’s own prices', () => {
  /** An org that calls the fake upstream through its own credentials, as provider `house`. */
  async function orgWithOwnProvider() {
    const owner = await signUp(fixture.context.app);
    await setPlan(fixture.context.app, owner.orgId, 'enterprise');
    const provider = await owner.client.request('POST', '/api/providers', {
      name: 'house',
      kind: 'openai-compatible',
      baseUrl: upstream.baseUrl,
      apiKey: upstream.apiKey,
    });
    expect(provider.statusCode, provider.body).toBe(201);
    const key = await createKey(owner.client, { scopes: ['gateway'] });
    return { owner, key };
  }

  async function costOfOwnCall(secret: string, model: string) {
    const response = await fixture.context.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${secret}` },
      payload: { model, messages: hi },
    });
    expect(response.statusCode, response.body).toBe(200);
    await fixture.context.app.services.batchWriter.flush();
    const [row] = await fixture.context.backends.database.db
      .select({ costUsd: observations.costUsd })
      .from(observations)
      .where(eq(observations.id, String(response.headers['x-switchyard-request-id'])));
    return row?.costUsd;
  }

  it('cost the calls through its own provider credentials; the operator’s prices do not', async () => {
    const { owner, key } = await orgWithOwnProvider();
    expect(await costOfOwnCall(key.secret, 'house/gpt-test')).toBeNull();
    const operator = await operatorClient();
    await operator.request('PUT', '/api/operator/prices', { model: 'house/*', input: 100, output: 100 });
    await owner.client.request('PUT', '/api/prices', { model: 'house/*', input: 1, output: 2 });
    expect(await costOfOwnCall(key.secret, 'house/gpt-test')).toBeCloseTo(costAt(1, 2), 12);
  });

  it('list before the server’s and the built-in ones, and replace a price set twice', async () => {
    await fixture.owner.request('PUT', '/api/prices', { model: 'vllm/*', input: 1, output: 1 });
    await fixture.owner.request('PUT', '/api/prices', { model: 'vllm/*', input: 0.5, output: 0.7 });
    const listed = (await fixture.owner.request('GET', '/api/prices')).json().data as Array<{
      model: string;
      input: number;
      source: string;
    }>;
    const vllm = listed.filter((price) => price.model === 'vllm/*');
    expect(vllm).toEqual([expect.objectContaining({ input: 0.5, output: 0.7, source: 'org' })]);
    const sources = listed.map((price) => price.source);
    expect(sources).toEqual([...sources].sort((a, b) => SOURCE_ORDER.indexOf(a) - SOURCE_ORDER.indexOf(b)));
    expect(listed.some((price) => price.source === 'built-in' && price.model.includes('gpt-4o-mini'))).toBe(true);
  });

  it('name what is wrong with a price, and let a viewer read but not write', async () => {
    const bad = await fixture.owner.request('PUT', '/api/prices', { model: 'gpt-4o', input: -1, output: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/body\.model|body\.input/);

    const viewer = await signUp(fixture.context.app);
    const invitation = await fixture.owner.request('POST', '/api/invitations', { email: viewer.email, role: 'viewer' });
    await viewer.client.request('POST', '/api/invitations/accept', { token: invitation.json().token });
    expect((await viewer.client.request('GET', '/api/prices')).statusCode).toBe(200);
    const refused = await viewer.client.request('PUT', '/api/prices', { model: 'openai/gpt-4o', input: 0, output: 0 });
    expect(refused.statusCode).toBe(403);
  });

  it('stay out of another org’s costs', async () => {
    const first = await orgWithOwnProvider();
    const second = await orgWithOwnProvider();
    await first.owner.client.request('PUT', '/api/prices', { model: 'house/*', input: 1000, output: 1000 });
    await second.owner.client.request('PUT', '/api/prices', { model: 'house/*', input: 1, output: 1 });
    expect(await costOfOwnCall(second.key.secret, 'house/gpt-test')).toBeCloseTo(costAt(1, 1), 12);
  });
});

const SOURCE_ORDER = ['org', 'server', 'built-in'];
