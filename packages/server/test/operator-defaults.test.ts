import { FAKE_REPLY, type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { bootstrapFirstRun } from '../src/auth/index.js';
import {
  createKey,
  createTestApp,
  SessionClient,
  setServerPrice,
  signUp,
  signUpOperator,
  TEST_PASSWORD_COST,
  type TestContext,
} from './test-app.js';

// What a self-hosting operator gets without setting anything: their own org unlimited, sign-up by
// invitation, and the server's provider keys spent only by the orgs they choose.

let upstream: FakeOpenAi;
const contexts: TestContext[] = [];
beforeAll(async () => {
  upstream = await startFakeOpenAi();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await upstream?.close();
});

/** A server on a fresh database with the fake OpenAI as its server-wide `openai`, after its first start. */
async function freshServer(options: { env?: Record<string, string>; serverDefaults?: boolean } = {}) {
  const context = await createTestApp({
    serverDefaults: options.serverDefaults,
    env: { OPENAI_API_KEY: upstream.apiKey, OPENAI_BASE_URL: upstream.baseUrl, ...options.env },
  });
  contexts.push(context);
  const first = await bootstrapFirstRun(context.backends.database.db, { passwordCost: TEST_PASSWORD_COST });
  if (!first) throw new Error('expected a first run on an empty database');
  return { app: context.app, firstKey: first.apiKey };
}

function chat(app: App, options: { key: string; model: string; stream?: boolean; headers?: Record<string, string> }) {
  return app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${options.key}`, ...options.headers },
    payload: { model: options.model, messages: [{ role: 'user', content: 'Hi' }], stream: options.stream },
  });
}

async function signedUpKey(app: App) {
  const account = await signUp(app);
  const { secret } = await createKey(account.client, { scopes: ['gateway'] });
  return { ...account, key: secret };
}

describe("the first start's org, on the server's defaults", () => {
  let app: App;
  let firstKey: string;
  beforeAll(async () => {
    ({ app, firstKey } = await freshServer({ serverDefaults: true }));
  });

  it('has no plan limits: 100 quick calls and 30 concurrent streams with the printed key, none refused', async () => {
    const org = await app.inject({ method: 'GET', url: '/api/org', headers: { authorization: `Bearer ${firstKey}` } });
    expect(org.json()).toMatchObject({
      plan: 'enterprise',
      limits: { requestsPerMinute: null, maxConcurrentRequests: null, monthlySpendCapUsd: null },
    });
    const quick: number[] = [];
    for (let index = 0; index < 100; index++)
      quick.push((await chat(app, { key: firstKey, model: 'mock/echo' })).statusCode);
    expect(quick.filter((status) => status !== 200)).toEqual([]);
    // Each stream lasts ~0.5 s, so all 30 are in flight together (the free plan allows 10).
    const streams = await Promise.all(
      Array.from({ length: 30 }, () =>
        chat(app, {
          key: firstKey,
          model: 'mock/stream',
          stream: true,
          headers: { 'x-mock-tokens': '10', 'x-mock-delay-ms': '50' },
        }),
      ),
    );
    expect(streams.map((stream) => stream.statusCode).filter((status) => status !== 200)).toEqual([]);
  });

  it('calls the server-wide provider', async () => {
    const response = await chat(app, { key: firstKey, model: 'openai/gpt-test' });
    expect(response.statusCode).toBe(200);
    expect(response.json().choices[0].message.content).toBe(FAKE_REPLY);
  });

  it('refuses sign-up without an invitation, saying how to get in', async () => {
    const response = await new SessionClient(app).request('POST', '/api/auth/signup', {
      email: 'walk-in@example.com',
      password: 'a long enough password',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({
      code: 'signup_closed',
      message: expect.stringMatching(/invite.*SIGNUP=open/),
    });
  });
});

describe('SIGNUP=open with the default SHARED_PROVIDERS=first', () => {
  let app: App;
  let firstKey: string;
  let ownUpstream: FakeOpenAi;
  beforeAll(async () => {
    ({ app, firstKey } = await freshServer({ serverDefaults: true, env: { SIGNUP: 'open', DEFAULT_PLAN: 'pro' } }));
    // Under a plan's spend cap an unpriced model is refused; the fake upstream's is made up.
    await setServerPrice(app, { model: 'openai/gpt-test', input: 0.1, output: 0.1 });
    ownUpstream = await startFakeOpenAi();
  });
  afterAll(() => ownUpstream?.close());

  it('puts the orgs others make on DEFAULT_PLAN', async () => {
    const { client } = await signUp(app);
    expect((await client.request('GET', '/api/org')).json().plan).toBe('pro');
    const another = await client.request('POST', '/api/orgs', { name: 'Side project' });
    expect(another.statusCode).toBe(201);
    expect(another.json().plan).toBe('pro');
  });

  it("refuses a signed-up org the server's provider, naming it, and spends nothing upstream", async () => {
    const { key } = await signedUpKey(app);
    const before = upstream.received.length;
    const refused = await chat(app, { key, model: 'openai/gpt-test' });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.message).toContain('provider "openai" is not configured for this org');
    expect(upstream.received.length).toBe(before);
    expect((await chat(app, { key, model: 'mock/echo' })).statusCode).toBe(200);
    const models = await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${key}` } });
    expect(models.json().data.map((model: { id: string }) => model.id)).toEqual(['mock/echo', 'mock/stream']);
  });

  it("lets a signed-up org call its own provider of that name, with the org's own key", async () => {
    const { client, key } = await signedUpKey(app);
    const added = await client.request('POST', '/api/providers', {
      name: 'openai',
      kind: 'openai-compatible',
      baseUrl: ownUpstream.baseUrl,
      apiKey: ownUpstream.apiKey,
    });
    expect(added.statusCode).toBe(201);
    const response = await chat(app, { key, model: 'openai/gpt-test' });
    expect(response.statusCode).toBe(200);
    expect(ownUpstream.received.at(-1)?.headers.authorization).toBe(`Bearer ${ownUpstream.apiKey}`);
  });

  it("shares the server's providers with an org the operator marks, and stops when unmarked", async () => {
    const { orgId, key } = await signedUpKey(app);
    const operator = (await signUpOperator(app)).client;
    const marked = await operator.request('PATCH', `/api/operator/orgs/${orgId}`, { serverProviders: true });
    expect(marked.statusCode).toBe(200);
    expect(marked.json().serverProviders).toBe(true);
    expect((await chat(app, { key, model: 'openai/gpt-test' })).statusCode).toBe(200);
    await operator.request('PATCH', `/api/operator/orgs/${orgId}`, { serverProviders: false });
    expect((await chat(app, { key, model: 'openai/gpt-test' })).statusCode).toBe(404);
  });

  it('still lets the first org call it', async () => {
    expect((await chat(app, { key: firstKey, model: 'openai/gpt-test' })).statusCode).toBe(200);
  });
});

describe('SIGNUP=open with SHARED_PROVIDERS=all', () => {
  it("lets every org call the server's provider", async () => {
    const { app, firstKey } = await freshServer({
      serverDefaults: true,
      env: { SIGNUP: 'open', SHARED_PROVIDERS: 'all' },
    });
    await setServerPrice(app, { model: 'openai/gpt-test', input: 0.1, output: 0.1 });
    const { key } = await signedUpKey(app);
    const response = await chat(app, { key, model: 'openai/gpt-test' });
    expect(response.statusCode).toBe(200);
    expect(response.json().choices[0].message.content).toBe(FAKE_REPLY);
    expect((await chat(app, { key: firstKey, model: 'openai/gpt-test' })).statusCode).toBe(200);
  });
});
