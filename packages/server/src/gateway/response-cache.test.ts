import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_REPLY, type FakeOpenAi, startFakeOpenAi } from '../../test/fake-openai.js';
import { startGatewayFixture } from '../../test/gateway-fixture.js';
import { createKey, type SessionClient, signUp, type TestContext } from '../../test/test-app.js';
import { observations } from '../db/telemetry-schema.js';
import { createMemoryKv } from '../kv/memory.js';
import { createResponseCache } from './response-cache.js';

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
