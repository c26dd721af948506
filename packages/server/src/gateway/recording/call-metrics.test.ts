import { type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKey,
  createTestApp,
  type SessionClient,
  setPlan,
  signUp,
  type TestContext,
} from '../../../test/test-app.js';
import { observations } from '../../db/telemetry-schema.js';

let upstream: FakeOpenAi;
let context: TestContext;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  context = await createTestApp();
});
afterAll(async () => {
  await context?.close();
  await upstream?.close();
});

/** An org on the enterprise plan (no limits) with a gateway key and its own providers. */
async function orgWithProviders(names: { name: string; kind: 'openai' | 'openai-compatible' }[]) {
  const owner = await signUp(context.app);
  await setPlan(context.app, owner.orgId, 'enterprise');
  for (const provider of names) await addProvider(owner.client, provider);
  const { secret } = await createKey(owner.client, { scopes: ['gateway'] });
  return { orgId: owner.orgId, admin: owner.client, secret };
}

async function addProvider(admin: SessionClient, provider: { name: string; kind: 'openai' | 'openai-compatible' }) {
  const response = await admin.request('POST', '/api/providers', {
    ...provider,
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey,
  });
  if (response.statusCode !== 201) throw new Error(`provider create failed: ${response.body}`);
}

function call(secret: string, options: { model: string; endpoint?: 'chat' | 'embeddings' }) {
  const embeddings = options.endpoint === 'embeddings';
  return context.app.inject({
    method: 'POST',
    url: embeddings ? '/v1/embeddings' : '/v1/chat/completions',
    headers: { authorization: `Bearer ${secret}` },
    payload: embeddings
      ? { model: options.model, input: 'hello' }
      : { model: options.model, messages: [{ role: 'user', content: 'hello' }] },
  });
}

async function scrape(): Promise<string> {
  const response = await context.app.inject('/metrics');
  expect(response.statusCode).toBe(200);
  return response.body;
}

/** The series whose labels a request can influence: the gateway's and the HTTP histogram. */
function requestSeries(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('switchyard_') || line.startsWith('http_'));
}

function allSeries(text: string): string[] {
  return text.split('\n').filter((line) => line && !line.startsWith('#'));
}

/** The value of one series, 0 when it does not exist yet. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((each) => each.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function recordedModels(orgId: string) {
  await context.app.services.batchWriter.flush();
  return context.backends.database.db
    .select({ provider: observations.provider, model: observations.model })
    .from(observations)
    .where(eq(observations.orgId, orgId));
}

describe('gateway series on /metrics', () => {
  it('stay the same in number however many made-up model names are called', async () => {
    const { admin, secret } = await orgWithProviders([{ name: 'invented-llm', kind: 'openai-compatible' }]);
    const throughNewAlias = async (name: string) => {
      const alias = `alias-${name}`;
      const created = await admin.request('POST', '/api/routes', {
        alias,
        targets: [{ model: `invented-llm/${name}` }],
      });
      expect(created.statusCode).toBe(201);
      return call(secret, { model: alias });
    };
    // One call of each kind and a scrape first, so that every bounded series these calls (and the
    // scrape's own HTTP histogram) can reach exists.
    const kinds = [
      (name: string) => call(secret, { model: `invented-llm/${name}` }),
      throughNewAlias,
      (name: string) => call(secret, { model: `mock/${name}` }),
      (name: string) => call(secret, { model: `mock/${name}`, endpoint: 'embeddings' }),
      (name: string) => call(secret, { model: `${name}/${name}` }),
    ];
    for (const kind of kinds) await kind('warm-up');
    await scrape();
    const before = await scrape();

    const calls = 300;
    for (let index = 0; index < calls; index++) {
      const kind = kinds[index % kinds.length];
      if (kind) await kind(`made-up-model-${index}`);
    }
    const after = await scrape();

    expect(requestSeries(after).length).toBe(requestSeries(before).length);
    // Node's own series (heap spaces, GC kinds) may appear over time, but none per call.
    expect(allSeries(after).length).toBeLessThan(allSeries(before).length + 50);
    expect(after).not.toContain('made-up-model');
    expect(after).not.toContain('invented-llm');
    // The org's provider answered both the direct calls and those through an alias.
    const answered = 'switchyard_llm_requests_total{provider="other",model="other",status="success"}';
    expect(sample(after, answered)).toBe(sample(before, answered) + (2 * calls) / kinds.length);
  });

  it("counts another org's provider under other, never by its name, and keeps the name in the record", async () => {
    const { orgId, secret } = await orgWithProviders([{ name: 'alpha-llm', kind: 'openai-compatible' }]);
    const counted = 'switchyard_llm_requests_total{provider="other",model="other",status="success"}';
    const before = sample(await scrape(), counted);
    for (let index = 0; index < 3; index++) {
      expect((await call(secret, { model: 'alpha-llm/their-fine-tune' })).statusCode).toBe(200);
    }
    const text = await scrape();
    expect(text).not.toContain('alpha-llm');
    expect(text).not.toContain('their-fine-tune');
    expect(sample(text, counted)).toBe(before + 3);
    expect(await recordedModels(orgId)).toEqual(
      Array.from({ length: 3 }, () => ({ provider: 'alpha-llm', model: 'alpha-llm/their-fine-tune' })),
    );
  });

  it('labels a known model with its canonical name, and the record keeps the name called', async () => {
    // An org's provider named like a built-in one is labelled as that one: the name tells nothing.
    const { orgId, secret } = await orgWithProviders([{ name: 'openai', kind: 'openai' }]);
    expect((await call(secret, { model: 'openai/gpt-4o-mini-2024-07-18' })).statusCode).toBe(200);
    expect((await call(secret, { model: 'mock/echo' })).statusCode).toBe(200);
    expect((await call(secret, { model: 'mock/embed', endpoint: 'embeddings' })).statusCode).toBe(200);
    const text = await scrape();
    expect(
      sample(text, 'switchyard_llm_requests_total{provider="openai",model="openai/gpt-4o-mini",status="success"}'),
    ).toBe(1);
    expect(sample(text, 'switchyard_llm_cost_usd_total{provider="openai",model="openai/gpt-4o-mini"}')).toBeGreaterThan(
      0,
    );
    expect(
      sample(text, 'switchyard_llm_tokens_total{provider="openai",model="openai/gpt-4o-mini",type="output"}'),
    ).toBe(5);
    expect(
      sample(text, 'switchyard_llm_requests_total{provider="mock",model="mock/echo",status="success"}'),
    ).toBeGreaterThan(0);
    expect(
      sample(text, 'switchyard_llm_requests_total{provider="mock",model="mock/embed",status="success"}'),
    ).toBeGreaterThan(0);
    expect(text).not.toContain('2024-07-18');
    expect(await recordedModels(orgId)).toContainEqual({ provider: 'openai', model: 'openai/gpt-4o-mini-2024-07-18' });
  });
});
