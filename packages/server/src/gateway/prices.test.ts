import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../../test/fake-openai.js';
import { type GatewayFixture, startGatewayFixture } from '../../test/gateway-fixture.js';
import { signUp } from '../../test/test-app.js';
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

describe('per-org model prices', () => {
  it('costs calls at the org’s own price once it is set, and at the built-in one after it is removed', async () => {
    expect(await costOfCall('openai/gpt-4o-mini')).toBeCloseTo(costAt(0.15, 0.6, 0.075), 12);

    const put = await fixture.owner.request('PUT', '/api/prices', {
      model: 'openai/gpt-4o-mini',
      input: 0.1,
      output: 0.3,
      cachedInput: 0.01,
    });
    expect(put.statusCode).toBe(200);
    expect(await costOfCall('openai/gpt-4o-mini')).toBeCloseTo(costAt(0.1, 0.3, 0.01), 12);

    const removed = await fixture.owner.request('DELETE', `/api/prices/${put.json().id}`);
    expect(removed.statusCode).toBe(204);
    expect(await costOfCall('openai/gpt-4o-mini')).toBeCloseTo(costAt(0.15, 0.6, 0.075), 12);
  });

  it('prices a model the built-in table does not know, by a prefix; an exact model wins over it', async () => {
    expect(await costOfCall('openai/ft:house-model:v1')).toBeNull();
    await fixture.owner.request('PUT', '/api/prices', { model: 'openai/ft:*', input: 2, output: 4 });
    await fixture.owner.request('PUT', '/api/prices', { model: 'openai/ft:house-model:v2', input: 5, output: 6 });
    expect(await costOfCall('openai/ft:house-model:v1')).toBeCloseTo(costAt(2, 4), 12);
    expect(await costOfCall('openai/ft:house-model:v2')).toBeCloseTo(costAt(5, 6), 12);
  });

  it('lists the org’s prices before the built-in ones, and replaces a price set twice', async () => {
    await fixture.owner.request('PUT', '/api/prices', { model: 'vllm/*', input: 1, output: 1 });
    await fixture.owner.request('PUT', '/api/prices', { model: 'vllm/*', input: 0.5, output: 0.7 });
    const listed = (await fixture.owner.request('GET', '/api/prices')).json().data as Array<{
      model: string;
      input: number;
      source: string;
    }>;
    const vllm = listed.filter((price) => price.model === 'vllm/*');
    expect(vllm).toEqual([expect.objectContaining({ input: 0.5, output: 0.7, source: 'org' })]);
    const firstBuiltIn = listed.findIndex((price) => price.source === 'built-in');
    expect(listed.slice(0, firstBuiltIn).every((price) => price.source === 'org')).toBe(true);
    expect(listed.slice(firstBuiltIn).some((price) => price.model.includes('gpt-4o-mini'))).toBe(true);
  });

  it('names what is wrong with a price, and lets a viewer read but not write', async () => {
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

  it('keeps one org’s prices out of another org’s costs', async () => {
    const other = await signUp(fixture.context.app);
    await other.client.request('PUT', '/api/prices', { model: 'openai/gpt-4o', input: 1000, output: 1000 });
    expect(await costOfCall('openai/gpt-4o')).toBeCloseTo(costAt(2.5, 10, 1.25), 12);
  });
});
