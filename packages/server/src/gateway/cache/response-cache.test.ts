import { FAKE_REPLY, type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture } from '../../../test/gateway-fixture.js';
import { createKey, type SessionClient, setServerPrice, signUp, type TestContext } from '../../../test/test-app.js';
import { observations } from '../../db/telemetry-schema.js';
import { createMemoryKv } from '../../kv/memory.js';
import { cacheKey, createResponseCache } from './response-cache.js';

let upstream: FakeOpenAi;
let context: TestContext;
let serverUrl: string;
let admin: SessionClient;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  ({
    context,
    serverUrl,
    owner: admin,
    openai: client,
  } = await startGatewayFixture({ OPENAI_API_KEY: upstream.apiKey, OPENAI_BASE_URL: upstream.baseUrl }));
  // A made-up model of the fake upstream: an org under the free plan's cap needs a server price for it.
  await setServerPrice(context.app, { model: 'openai/gpt-test', input: 0.1, output: 0.1 });
});
afterAll(async () => {
  await context?.close();
  await upstream?.close();
});

const upstreamCalls = () => upstream.received.length;
let questionCounter = 0;
/** A question no other test asks, so cache entries never cross tests. */
const freshQuestion = () => [{ role: 'user' as const, content: `question ${++questionCounter} ${Math.random()}` }];

async function ask(
  messages: OpenAI.ChatCompletionMessageParam[],
  options: { model?: string; cache?: string; stream?: boolean; temperature?: number } = {},
) {
  const headers = options.cache ? { 'x-switchyard-cache': options.cache } : undefined;
  const params = { model: options.model ?? 'openai/gpt-test', messages, temperature: options.temperature };
  if (options.stream) {
    const { data, response } = await client.chat.completions
      .create({ ...params, stream: true, stream_options: { include_usage: true } }, { headers })
      .withResponse();
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of data) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    return {
      text,
      usage,
      cache: response.headers.get('x-switchyard-cache'),
      requestId: response.headers.get('x-switchyard-request-id'),
    };
  }
  const { data, response } = await client.chat.completions.create(params, { headers }).withResponse();
  return {
    text: data.choices[0]?.message.content ?? '',
    usage: data.usage,
    cache: response.headers.get('x-switchyard-cache'),
    requestId: response.headers.get('x-switchyard-request-id'),
  };
}

let textCounter = 0;
/** A text no other test embeds, so cache entries never cross tests. */
const freshText = () => `text ${++textCounter} ${Math.random()}`;

async function embed(input: string | string[], options: { model?: string; cache?: string } = {}) {
  const headers = options.cache ? { 'x-switchyard-cache': options.cache } : undefined;
  const { data, response } = await client.embeddings
    .create({ model: options.model ?? 'openai/text-embedding-3-small', input }, { headers })
    .withResponse();
  return {
    vectors: data.data.map((item) => item.embedding),
    usage: data.usage,
    cache: response.headers.get('x-switchyard-cache'),
    attempts: response.headers.get('x-switchyard-attempts'),
    requestId: response.headers.get('x-switchyard-request-id'),
  };
}

/** The stored record of one call, once the batch writer has written it. */
async function recordOf(requestId: string | null) {
  await context.app.services.batchWriter.flush();
  const [record] = await context.backends.database.db
    .select()
    .from(observations)
    .where(eq(observations.id, String(requestId)));
  return record;
}

describe('the response cache', () => {
  it('answers a repeated request from the cache when the client asks, without calling the provider', async () => {
    const messages = freshQuestion();
    const first = await ask(messages, { cache: 'use' });
    const callsAfterFirst = upstreamCalls();
    const second = await ask(messages, { cache: 'use' });
    expect(first).toMatchObject({ cache: 'MISS', text: FAKE_REPLY });
    expect(second).toMatchObject({ cache: 'HIT', text: FAKE_REPLY });
    expect(second.usage).toEqual(first.usage);
    expect(upstreamCalls()).toBe(callsAfterFirst);
    await context.app.services.batchWriter.flush();
    const [hit] = await context.backends.database.db
      .select()
      .from(observations)
      .where(eq(observations.id, String(second.requestId)));
    expect(hit).toMatchObject({
      cacheStatus: 'HIT',
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      provider: 'openai',
      model: 'openai/gpt-test',
    });
  });

  it('replays a cached answer as a stream, and caches a streamed answer for plain requests', async () => {
    const plainFirst = freshQuestion();
    await ask(plainFirst, { cache: 'use' });
    const replayed = await ask(plainFirst, { cache: 'use', stream: true });
    expect(replayed).toMatchObject({ cache: 'HIT', text: FAKE_REPLY });
    expect(replayed.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 5 });

    const streamedFirst = freshQuestion();
    expect((await ask(streamedFirst, { cache: 'use', stream: true })).cache).toBe('MISS');
    const calls = upstreamCalls();
    await expect.poll(async () => (await ask(streamedFirst, { cache: 'use' })).cache).toBe('HIT');
    expect((await ask(streamedFirst, { cache: 'use' })).text).toBe(FAKE_REPLY);
    expect(upstreamCalls()).toBe(calls);
  });

  it('treats any difference in the request as a different request', async () => {
    const messages = freshQuestion();
    await ask(messages, { cache: 'use', temperature: 0 });
    expect((await ask(messages, { cache: 'use', temperature: 1 })).cache).toBe('MISS');
  });

  it('follows a route’s cache setting, which the header can override', async () => {
    const created = await admin.request('POST', '/api/routes', {
      alias: 'cached',
      targets: [{ model: 'openai/gpt-test' }],
      cache: { enabled: true, ttlSeconds: 1 },
    });
    expect(created.json().cache).toEqual({ enabled: true, ttlSeconds: 1 });
    const messages = freshQuestion();
    expect((await ask(messages, { model: 'cached' })).cache).toBe('MISS');
    expect((await ask(messages, { model: 'cached' })).cache).toBe('HIT');
    expect((await ask(messages, { model: 'cached', cache: 'off' })).cache).toBeNull();
    const calls = upstreamCalls();
    expect((await ask(messages, { model: 'cached', cache: 'refresh' })).cache).toBe('MISS');
    expect(upstreamCalls()).toBe(calls + 1);
    // ttlSeconds: 1
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await ask(messages, { model: 'cached' })).cache).toBe('MISS');
  });

  it('keeps each org’s cache to itself', async () => {
    const messages = freshQuestion();
    await ask(messages, { cache: 'use' });
    const other = await signUp(context.app);
    const { secret } = await createKey(other.client, { scopes: ['gateway'] });
    const outsider = new OpenAI({ baseURL: `${serverUrl}/v1`, apiKey: secret, maxRetries: 0 });
    const { response } = await outsider.chat.completions
      .create({ model: 'openai/gpt-test', messages }, { headers: { 'x-switchyard-cache': 'use' } })
      .withResponse();
    expect(response.headers.get('x-switchyard-cache')).toBe('MISS');
  });

  it('names a bad x-switchyard-cache value', async () => {
    const error = await ask(freshQuestion(), { cache: 'sometimes' }).catch((caught) => caught);
    expect(error.status).toBe(400);
    expect(error.message).toContain('x-switchyard-cache: must be "use", "refresh" or "off"');
  });
});

describe('the response cache for embeddings', () => {
  it('answers a repeated embeddings request from the cache, without calling the provider', async () => {
    const input = freshText();
    const first = await embed(input, { cache: 'use' });
    const callsAfterFirst = upstreamCalls();
    const second = await embed(input, { cache: 'use' });
    expect(first.cache).toBe('MISS');
    expect(second).toMatchObject({ cache: 'HIT', attempts: '0' });
    expect(upstreamCalls()).toBe(callsAfterFirst);
    expect(second.vectors).toHaveLength(1);
    expect(second.vectors).toEqual(first.vectors);
    expect(second.usage).toEqual(first.usage);
  });

  it('goes to the provider again on refresh, and stores the fresh answer', async () => {
    const input = freshText();
    await embed(input, { cache: 'use' });
    const calls = upstreamCalls();
    expect((await embed(input, { cache: 'refresh' })).cache).toBe('MISS');
    expect(upstreamCalls()).toBe(calls + 1);
    expect((await embed(input, { cache: 'use' })).cache).toBe('HIT');
    expect(upstreamCalls()).toBe(calls + 1);
  });

  it('treats a different input as a different request', async () => {
    const input = freshText();
    await embed(input, { cache: 'use' });
    const calls = upstreamCalls();
    expect((await embed(`${input} again`, { cache: 'use' })).cache).toBe('MISS');
    expect((await embed([input], { cache: 'use' })).cache).toBe('MISS');
    expect(upstreamCalls()).toBe(calls + 2);
  });

  it('records a hit with no tokens and no cost, where the miss cost something', async () => {
    const input = freshText();
    const miss = await embed(input, { cache: 'use' });
    const hit = await embed(input, { cache: 'use' });
    expect(await recordOf(miss.requestId)).toMatchObject({ cacheStatus: 'MISS', inputTokens: 4 });
    expect((await recordOf(miss.requestId))?.costUsd).toBeGreaterThan(0);
    expect(await recordOf(hit.requestId)).toMatchObject({
      cacheStatus: 'HIT',
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      attempts: 0,
      provider: 'openai',
      model: 'openai/text-embedding-3-small',
    });
  });

  it('follows a route’s cache setting, and is off for direct calls unless asked', async () => {
    await admin.request('POST', '/api/routes', {
      alias: 'cached-embeddings',
      targets: [{ model: 'openai/text-embedding-3-small' }],
      cache: { enabled: true, ttlSeconds: 3600 },
    });
    const input = freshText();
    expect((await embed(input, { model: 'cached-embeddings' })).cache).toBe('MISS');
    expect((await embed(input, { model: 'cached-embeddings' })).cache).toBe('HIT');
    expect((await embed(input, { model: 'cached-embeddings', cache: 'off' })).cache).toBeNull();
    expect((await embed(freshText())).cache).toBeNull();
  });
});

describe('cache keys', () => {
  it('keep chat completions and embeddings apart, whatever the body', () => {
    const body = { model: 'openai/text-embedding-3-small', input: 'same' };
    expect(cacheKey({ orgId: 'org', endpoint: 'chat.completions', body })).not.toBe(
      cacheKey({ orgId: 'org', endpoint: 'embeddings', body }),
    );
  });
});

describe('the in-process cache', () => {
  it('stays within its size bound, dropping the least recently used answers', async () => {
    const cache = createResponseCache(createMemoryKv({ clock: { now: () => Date.now() } }), { maxBytes: 200 });
    const answer = (text: string) => ({ object: 'chat.completion', text: text.padEnd(60, '.') });
    await cache.set('a', answer('a'), 60_000);
    await cache.set('b', answer('b'), 60_000);
    await cache.get('a');
    await cache.set('c', answer('c'), 60_000);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(await cache.get('c')).toBeDefined();
  });
});
