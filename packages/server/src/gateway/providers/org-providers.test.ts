import { FAKE_REPLY, type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKey,
  createTestApp,
  type SessionClient,
  setPlan,
  signUp,
  type TestContext,
} from '../../../test/test-app.js';
import { providerCredentials } from '../../db/schema.js';

let upstream: FakeOpenAi;
let context: TestContext;
let serverUrl: string;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  // The server's own OpenAI key is wrong: only orgs that bring their own key get answers.
  context = await createTestApp({
    env: { OPENAI_API_KEY: 'sk-server-wide-but-wrong', OPENAI_BASE_URL: upstream.baseUrl },
  });
  serverUrl = await context.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await context?.close();
  await upstream?.close();
});

async function orgWithClient(url = serverUrl): Promise<{ admin: SessionClient; client: OpenAI; secret: string }> {
  const owner = await signUp(context.app);
  await setPlan(context.app, owner.orgId, 'enterprise');
  const { secret } = await createKey(owner.client, { scopes: ['gateway'] });
  return { admin: owner.client, secret, client: new OpenAI({ baseURL: `${url}/v1`, apiKey: secret, maxRetries: 0 }) };
}

const hi = [{ role: 'user' as const, content: 'Hi' }];

describe('provider credentials per org', () => {
  it('adds an OpenAI-compatible provider whose key is stored sealed and never returned', async () => {
    const { admin, client } = await orgWithClient();
    const created = await admin.request('POST', '/api/providers', {
      name: 'together',
      kind: 'openai-compatible',
      baseUrl: upstream.baseUrl,
      apiKey: upstream.apiKey,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'together',
      kind: 'openai-compatible',
      baseUrl: upstream.baseUrl,
      keyHint: `…${upstream.apiKey.slice(-4)}`,
    });
    expect(created.body).not.toContain(upstream.apiKey);
    expect((await admin.request('GET', '/api/providers')).body).not.toContain(upstream.apiKey);
    const [row] = await context.backends.database.db
      .select()
      .from(providerCredentials)
      .where(eq(providerCredentials.id, created.json().id));
    expect(row?.encryptedKey).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(upstream.apiKey);

    const completion = await client.chat.completions.create({ model: 'together/gpt-test', messages: hi });
    expect(completion.choices[0]?.message.content).toBe(FAKE_REPLY);
    expect(upstream.received.at(-1)?.headers.authorization).toBe(`Bearer ${upstream.apiKey}`);
  });

  it('lets an org’s own key override the server’s, for that org only', async () => {
    const { admin, client } = await orgWithClient();
    const { client: otherClient } = await orgWithClient();
    const before = await client.chat.completions
      .create({ model: 'openai/gpt-test', messages: hi })
      .catch((error) => error);
    expect(before.status).toBe(502);
    expect(before.message).toContain("refused this server's credentials");
    await admin.request('POST', '/api/providers', {
      name: 'openai',
      kind: 'openai',
      baseUrl: upstream.baseUrl,
      apiKey: upstream.apiKey,
    });
    expect(
      (await client.chat.completions.create({ model: 'openai/gpt-test', messages: hi })).choices[0]?.message.content,
    ).toBe(FAKE_REPLY);
    expect(
      (await otherClient.chat.completions.create({ model: 'openai/gpt-test', messages: hi }).catch((error) => error))
        .status,
    ).toBe(502);
  });

  it('keeps an org’s providers from other orgs', async () => {
    const { admin } = await orgWithClient();
    await admin.request('POST', '/api/providers', {
      name: 'private-llm',
      kind: 'openai-compatible',
      baseUrl: upstream.baseUrl,
      apiKey: upstream.apiKey,
    });
    const { client: outsider } = await orgWithClient();
    const error = await outsider.chat.completions
      .create({ model: 'private-llm/gpt-test', messages: hi })
      .catch((caught) => caught);
    expect(error.status).toBe(404);
  });

  it('names what is wrong with a provider, and refuses a duplicate name or a viewer', async () => {
    const { admin } = await orgWithClient();
    const noBaseUrl = await admin.request('POST', '/api/providers', { name: 'vllm', kind: 'openai-compatible' });
    expect(noBaseUrl.statusCode).toBe(400);
    expect(noBaseUrl.json().error.message).toContain('body.baseUrl: is required for an openai-compatible provider');
    const badName = await admin.request('POST', '/api/providers', { name: 'My LLM', kind: 'openai' });
    expect(badName.json().error.message).toContain('body.name');
    await admin.request('POST', '/api/providers', { name: 'dup', kind: 'openai', apiKey: 'x' });
    expect(
      (await admin.request('POST', '/api/providers', { name: 'dup', kind: 'openai', apiKey: 'y' })).statusCode,
    ).toBe(409);
  });

  it('can be the target of a route', async () => {
    const { admin, client } = await orgWithClient();
    await admin.request('POST', '/api/providers', {
      name: 'mine',
      kind: 'openai-compatible',
      baseUrl: upstream.baseUrl,
      apiKey: upstream.apiKey,
    });
    const route = await admin.request('POST', '/api/routes', { alias: 'main', targets: [{ model: 'mine/gpt-test' }] });
    expect(route.statusCode).toBe(201);
    expect((await client.chat.completions.create({ model: 'main', messages: hi })).choices[0]?.message.content).toBe(
      FAKE_REPLY,
    );
  });

  it('uses a replaced key on every replica within a second', async () => {
    const { admin, secret } = await orgWithClient();
    const created = await admin.request('POST', '/api/providers', {
      name: 'rotating',
      kind: 'openai-compatible',
      baseUrl: upstream.baseUrl,
      apiKey: 'sk-old-and-wrong',
    });
    const replica = await context.replica();
    const replicaUrl = await replica.listen({ port: 0, host: '127.0.0.1' });
    const viaReplica = new OpenAI({ baseURL: `${replicaUrl}/v1`, apiKey: secret, maxRetries: 0 });
    const status = async () => {
      const result = await viaReplica.chat.completions
        .create({ model: 'rotating/gpt-test', messages: hi })
        .catch((error) => error);
      return result.status ?? 200;
    };
    expect(await status()).toBe(502);
    await admin.request('PUT', `/api/providers/${created.json().id}`, {
      name: 'rotating',
      kind: 'openai-compatible',
      baseUrl: upstream.baseUrl,
      apiKey: upstream.apiKey,
    });
    await expect.poll(status, { timeout: 1_000, interval: 50 }).toBe(200);
  });

  it('keeps the stored key when a replace leaves it out, and removes it on null', async () => {
    const { admin, secret } = await orgWithClient();
    const created = await admin.request('POST', '/api/providers', {
      name: 'keeper',
      kind: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:9/v1',
      apiKey: upstream.apiKey,
    });
    const client = new OpenAI({ baseURL: `${serverUrl}/v1`, apiKey: secret, maxRetries: 0 });
    const status = async () => {
      const result = await client.chat.completions
        .create({ model: 'keeper/gpt-test', messages: hi })
        .catch((error) => error);
      return result.status ?? 200;
    };
    // Fix the base URL without typing the key again: calls now reach the upstream with the stored key.
    const moved = await admin.request('PUT', `/api/providers/${created.json().id}`, {
      name: 'keeper',
      kind: 'openai-compatible',
      baseUrl: upstream.baseUrl,
    });
    expect(moved.json()).toMatchObject({ baseUrl: upstream.baseUrl, keyHint: `…${upstream.apiKey.slice(-4)}` });
    await expect.poll(status, { timeout: 1_000, interval: 50 }).toBe(200);
    const cleared = await admin.request('PUT', `/api/providers/${created.json().id}`, {
      name: 'keeper',
      kind: 'openai-compatible',
      baseUrl: upstream.baseUrl,
      apiKey: null,
    });
    expect(cleared.json().keyHint).toBeNull();
    // The upstream refuses a call without its key.
    await expect.poll(status, { timeout: 1_000, interval: 50 }).not.toBe(200);
  });
});
