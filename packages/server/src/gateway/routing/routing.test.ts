import { orgModelListSchema } from '@switchyard/shared';
import { FAKE_REPLY, type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture } from '../../../test/gateway-fixture.js';
import { createKey, type SessionClient, signUp, type TestContext } from '../../../test/test-app.js';
import { observations } from '../../db/telemetry-schema.js';

let upstream: FakeOpenAi;
let context: TestContext;
let admin: SessionClient;
let client: OpenAI;
let serverUrl: string;
let keySecret: string;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  ({
    context,
    serverUrl,
    keySecret,
    owner: admin,
    openai: client,
  } = await startGatewayFixture({ OPENAI_API_KEY: upstream.apiKey, OPENAI_BASE_URL: upstream.baseUrl }));
});
afterAll(async () => {
  await context?.close();
  await upstream?.close();
});

let aliasCounter = 0;
/** Creates a route under a fresh alias and returns the alias. */
async function route(body: Record<string, unknown>): Promise<string> {
  aliasCounter += 1;
  const alias = `alias-${aliasCounter}`;
  const response = await admin.request('POST', '/api/routes', { alias, ...body });
  if (response.statusCode !== 201) throw new Error(`route create failed: ${response.body}`);
  return alias;
}

async function ask(model: string, options: { stream?: boolean } = {}) {
  if (options.stream) {
    const { data, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'route me' }], stream: true })
      .withResponse();
    let text = '';
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
    return { text, headers: response.headers };
  }
  const { data, response } = await client.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'route me' }] })
    .withResponse();
  return { text: data.choices[0]?.message.content ?? '', headers: response.headers };
}

async function recordOf(requestId: string | null) {
  await context.app.services.batchWriter.flush();
  const [row] = await context.backends.database.db
    .select()
    .from(observations)
    .where(eq(observations.id, String(requestId)));
  return row;
}

describe('/api/routes', () => {
  it('creates, lists, replaces and deletes aliases', async () => {
    const created = await admin.request('POST', '/api/routes', {
      alias: 'crud-test',
      targets: [{ model: 'mock/echo' }],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      alias: 'crud-test',
      strategy: 'fallback',
      retry: { attempts: 0 },
      fallbackOn: [408, 409, 429, 500, 502, 503, 504],
    });
    const id = created.json().id;
    expect(
      (await admin.request('POST', '/api/routes', { alias: 'crud-test', targets: [{ model: 'mock/echo' }] }))
        .statusCode,
    ).toBe(409);
    expect(
      (await admin.request('GET', '/api/routes')).json().data.map((item: { alias: string }) => item.alias),
    ).toContain('crud-test');
    const replaced = await admin.request('PUT', `/api/routes/${id}`, {
      alias: 'crud-test',
      strategy: 'single',
      targets: [{ model: 'mock/stream' }],
    });
    expect(replaced.json()).toMatchObject({
      strategy: 'single',
      targets: [{ model: 'mock/stream', weight: 1, timeoutMs: 60_000 }],
    });
    expect((await admin.request('DELETE', `/api/routes/${id}`)).statusCode).toBe(204);
    expect((await admin.request('GET', `/api/routes/${id}`)).statusCode).toBe(404);
  });

  it('refuses routes that cannot work, naming the field', async () => {
    const unknownProvider = await admin.request('POST', '/api/routes', {
      alias: 'bad',
      targets: [{ model: 'mock/echo' }, { model: 'nowhere/x' }],
    });
    expect(unknownProvider.statusCode).toBe(400);
    expect(unknownProvider.json().error.message).toContain(
      'body.targets.1.model: provider "nowhere" is not configured',
    );
    const singleWithTwo = await admin.request('POST', '/api/routes', {
      alias: 'bad',
      strategy: 'single',
      targets: [{ model: 'mock/echo' }, { model: 'mock/stream' }],
    });
    expect(singleWithTwo.json().error.message).toContain('body.targets: a "single" route has exactly one target');
    const slashAlias = await admin.request('POST', '/api/routes', {
      alias: 'openai/gpt-4o',
      targets: [{ model: 'mock/echo' }],
    });
    expect(slashAlias.json().error.message).toContain('body.alias');
  });

  it('lists the org’s aliases on /v1/models', async () => {
    const alias = await route({ targets: [{ model: 'mock/echo' }] });
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain(alias);
  });

  it('lists the same aliases and models to the dashboard on /api/models, and only the caller’s org’s aliases', async () => {
    const alias = await route({ targets: [{ model: 'mock/echo' }] });
    const listed = orgModelListSchema.parse((await admin.request('GET', '/api/models')).json()).data;
    expect(listed).toContainEqual({ id: alias, kind: 'route' });
    expect(listed).toContainEqual({ id: 'mock/echo', kind: 'model' });
    const gatewayIds = [];
    for await (const model of client.models.list()) gatewayIds.push(model.id);
    expect(listed.map((model) => model.id).sort()).toEqual(gatewayIds.sort());
    const stranger = await signUp(context.app);
    const theirs = orgModelListSchema.parse((await stranger.client.request('GET', '/api/models')).json()).data;
    expect(theirs.filter((model) => model.kind === 'route')).toEqual([]);
  });
});

describe('routing a call', () => {
  it('falls back to the next target on a provider outage, and records both attempts', async () => {
    const alias = await route({ targets: [{ model: 'openai/fail-503' }, { model: 'mock/echo' }] });
    const { text, headers } = await ask(alias);
    expect(text).toBe('route me');
    expect(headers.get('x-switchyard-provider')).toBe('mock');
    expect(headers.get('x-switchyard-attempts')).toBe('2');
    const record = await recordOf(headers.get('x-switchyard-request-id'));
    expect(record).toMatchObject({ model: 'mock/echo', provider: 'mock', attempts: 2, status: 'success' });
    expect(record?.metadata).toMatchObject({
      requested: alias,
      alias,
      attempts: [
        { model: 'openai/fail-503', outcome: 'error', status: 503 },
        { model: 'mock/echo', outcome: 'success' },
      ],
    });
  });

  it('falls back on a retryable failure whatever the route lists, and on any status it lists', async () => {
    const outage = await route({ targets: [{ model: 'openai/fail-503' }, { model: 'mock/echo' }], fallbackOn: [] });
    expect((await ask(outage)).headers.get('x-switchyard-provider')).toBe('mock');
    const missing = await route({ targets: [{ model: 'openai/fail-404' }, { model: 'mock/echo' }], fallbackOn: [404] });
    const { text, headers } = await ask(missing);
    expect(text).toBe('route me');
    expect(headers.get('x-switchyard-attempts')).toBe('2');
  });

  it('does not fall back on a mistake in the request itself', async () => {
    const alias = await route({ targets: [{ model: 'openai/fail-400' }, { model: 'mock/echo' }] });
    const error = await ask(alias).catch((caught) => caught);
    expect(error.status).toBe(400);
    expect(error.headers.get('x-switchyard-attempts')).toBe('1');
  });

  it('retries a target with backoff before moving on', async () => {
    const alias = await route({
      targets: [{ model: 'openai/flaky-2-retry' }],
      retry: { attempts: 2, initialBackoffMs: 10, maxBackoffMs: 50 },
    });
    const { text, headers } = await ask(alias);
    expect(text).toBe(FAKE_REPLY);
    expect(headers.get('x-switchyard-attempts')).toBe('3');
    expect(upstream.received.filter((request) => request.body.model === 'flaky-2-retry')).toHaveLength(3);
  });

  it('waits as long as the provider’s retry-after says', async () => {
    const alias = await route({
      targets: [{ model: 'openai/ratelimit-once-wait' }],
      retry: { attempts: 1, initialBackoffMs: 10, maxBackoffMs: 5_000 },
    });
    const { text } = await ask(alias);
    expect(text).toBe(FAKE_REPLY);
    const [first, second] = upstream.received.filter((request) => request.body.model === 'ratelimit-once-wait');
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('moves on instead of waiting when retry-after is longer than the route allows', async () => {
    const alias = await route({
      targets: [{ model: 'openai/fail-429' }, { model: 'mock/echo' }],
      retry: { attempts: 3, initialBackoffMs: 10, maxBackoffMs: 1_000 },
    });
    const { headers } = await ask(alias);
    expect(headers.get('x-switchyard-provider')).toBe('mock');
    expect(headers.get('x-switchyard-attempts')).toBe('2');
  });

  it('gives up on a target after its timeout and uses the next', async () => {
    const alias = await route({ targets: [{ model: 'openai/slow-3000', timeoutMs: 200 }, { model: 'mock/echo' }] });
    const { headers } = await ask(alias);
    expect(headers.get('x-switchyard-provider')).toBe('mock');
    const record = await recordOf(headers.get('x-switchyard-request-id'));
    expect(JSON.stringify(record?.metadata)).toContain('openai/slow-3000 did not answer within 200 ms');
  });

  it('spreads traffic by weight under loadbalance', async () => {
    const alias = await route({
      strategy: 'loadbalance',
      targets: [
        { model: 'openai/gpt-test', weight: 1 },
        { model: 'mock/echo', weight: 3 },
      ],
    });
    const calls = 200;
    let viaMock = 0;
    for (let index = 0; index < calls; index++)
      if ((await ask(alias)).headers.get('x-switchyard-provider') === 'mock') viaMock += 1;
    // Expect 75 %; ±12 % is more than 4 standard deviations for 200 draws.
    expect(viaMock / calls).toBeGreaterThan(0.63);
    expect(viaMock / calls).toBeLessThan(0.87);
  });

  it('falls back for a stream that fails before its first chunk', async () => {
    const alias = await route({ targets: [{ model: 'openai/cut-before-first' }, { model: 'mock/echo' }] });
    const { text, headers } = await ask(alias, { stream: true });
    expect(text).toBe('route me');
    expect(headers.get('x-switchyard-attempts')).toBe('2');
  });

  it('never falls back once a stream has started: the client sees the error', async () => {
    const alias = await route({ targets: [{ model: 'openai/cut-stream' }, { model: 'mock/echo' }] });
    await expect(ask(alias, { stream: true })).rejects.toThrow(/broke off|ended without/);
  });

  it('answers 404 for an alias the org does not have', async () => {
    const error = await ask('no-such-alias').catch((caught) => caught);
    expect(error.status).toBe(404);
    expect(error.message).toContain('"no-such-alias" is neither a route alias of this org nor "provider/model"');
  });

  it('uses a changed route on every replica within a second', async () => {
    const created = await admin.request('POST', '/api/routes', { alias: 'moving', targets: [{ model: 'mock/echo' }] });
    const replica = await context.replica();
    const replicaUrl = await replica.listen({ port: 0, host: '127.0.0.1' });
    const viaReplica = new OpenAI({ baseURL: `${replicaUrl}/v1`, apiKey: keySecret, maxRetries: 0 });
    const provider = async () =>
      (
        await viaReplica.chat.completions
          .create({ model: 'moving', messages: [{ role: 'user', content: 'x' }] })
          .withResponse()
      ).response.headers.get('x-switchyard-provider');
    expect(await provider()).toBe('mock');
    await admin.request('PUT', `/api/routes/${created.json().id}`, {
      alias: 'moving',
      targets: [{ model: 'openai/gpt-test' }],
    });
    await expect.poll(provider, { timeout: 1_000, interval: 50 }).toBe('openai');
  });
});

describe('routes across orgs', () => {
  it('keeps an alias to its own org', async () => {
    const alias = await route({ targets: [{ model: 'mock/echo' }] });
    const other = await signUp(context.app);
    const { secret } = await createKey(other.client, { scopes: ['gateway'] });
    const outsider = new OpenAI({ baseURL: `${serverUrl}/v1`, apiKey: secret, maxRetries: 0 });
    const error = await outsider.chat.completions
      .create({ model: alias, messages: [{ role: 'user', content: 'x' }] })
      .catch((caught) => caught);
    expect(error.status).toBe(404);
  });
});
