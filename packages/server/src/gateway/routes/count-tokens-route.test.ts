import Anthropic from '@anthropic-ai/sdk';
import { ANTHROPIC_TOKEN_COUNT, type FakeAnthropic, startFakeAnthropic } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayFixture, startGatewayFixture } from '../../../test/gateway-fixture.js';
import { createKey } from '../../../test/test-app.js';

let upstream: FakeAnthropic;
let fixture: GatewayFixture;
let client: Anthropic;

beforeAll(async () => {
  upstream = await startFakeAnthropic();
  fixture = await startGatewayFixture({ ANTHROPIC_API_KEY: upstream.apiKey, ANTHROPIC_BASE_URL: upstream.baseUrl });
  client = fixture.anthropic;
});
afterAll(async () => {
  await fixture?.close();
  await upstream?.close();
});

const WEATHER_TOOL: Anthropic.Tool = {
  name: 'get_weather',
  description: 'The current weather in a city, in degrees Celsius',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** The count `model` gives for `params`, with the headers that say who counted. */
async function count(params: Omit<Anthropic.MessageCountTokensParams, 'model'> & { model: string }) {
  const { data, response } = await client.messages.countTokens(params).withResponse();
  return {
    inputTokens: data.input_tokens,
    countedBy: response.headers.get('x-switchyard-token-count'),
    tokenizer: response.headers.get('x-switchyard-tokenizer'),
    provider: response.headers.get('x-switchyard-provider'),
  };
}

describe('POST /v1/messages/count_tokens through the Anthropic SDK', () => {
  it('asks Anthropic for the count when the model is Anthropic’s, with the body as written', async () => {
    const params = {
      model: 'anthropic/claude-3-5-haiku-latest',
      system: 'You are terse.',
      messages: [{ role: 'user' as const, content: 'What is the weather in Paris?' }],
      tools: [WEATHER_TOOL],
    };
    const counted = await count(params);
    expect(counted).toEqual({
      inputTokens: ANTHROPIC_TOKEN_COUNT,
      countedBy: 'provider',
      tokenizer: null,
      provider: 'anthropic',
    });
    const received = upstream.received.at(-1);
    expect(received?.path).toBe('/v1/messages/count_tokens');
    expect(received?.body).toEqual({ ...params, model: 'claude-3-5-haiku-latest' });
    // The upstream sees the server's Anthropic key, never the client's gateway key.
    expect(received?.headers['x-api-key']).toBe(upstream.apiKey);
  });

  it('follows an org’s route alias to its target', async () => {
    const created = await fixture.owner.request('POST', '/api/routes', {
      alias: 'claude',
      targets: [{ model: 'anthropic/claude-sonnet-4' }],
    });
    expect(created.statusCode).toBe(201);
    const counted = await count({ model: 'claude', messages: [{ role: 'user', content: 'Hi' }] });
    expect(counted).toMatchObject({ inputTokens: ANTHROPIC_TOKEN_COUNT, countedBy: 'provider' });
    expect(upstream.received.at(-1)?.body.model).toBe('claude-sonnet-4');
  });

  it('estimates with a tokenizer for other providers, says so, and counts more for more input', async () => {
    const seen = upstream.received.length;
    const hello = await count({ model: 'mock/echo', messages: [{ role: 'user', content: 'Hello there' }] });
    expect(hello).toEqual({
      inputTokens: expect.any(Number),
      countedBy: 'estimate',
      tokenizer: 'o200k_base',
      provider: 'mock',
    });
    // Two words, and the few tokens that frame a message and the reply.
    expect(hello.inputTokens).toBeGreaterThanOrEqual(2);
    expect(hello.inputTokens).toBeLessThan(15);

    const sentence = 'The quick brown fox jumps over the lazy dog. ';
    const long = await count({ model: 'mock/echo', messages: [{ role: 'user', content: sentence.repeat(100) }] });
    // About ten tokens a sentence.
    expect(long.inputTokens).toBeGreaterThan(900);
    expect(long.inputTokens).toBeLessThan(1_200);

    const withSystem = await count({
      model: 'mock/echo',
      system: 'You answer in French, briefly.',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(withSystem.inputTokens).toBeGreaterThan(hello.inputTokens);
    const withTools = await count({
      model: 'mock/echo',
      messages: [{ role: 'user', content: 'Hello there' }],
      tools: [WEATHER_TOOL],
    });
    expect(withTools.inputTokens).toBeGreaterThan(hello.inputTokens + 10);
    const turns = await count({
      model: 'mock/echo',
      messages: [
        { role: 'user', content: 'Hello there' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny, 24 degrees' }] },
      ],
    });
    expect(turns.inputTokens).toBeGreaterThan(hello.inputTokens + 10);
    // Nothing went to Anthropic for a mock model.
    expect(upstream.received.length).toBe(seen);
  });

  it('refuses an unknown model or provider with a 404 naming it, and a bad body with a 400', async () => {
    const alias = await count({ model: 'no-such-alias', messages: [{ role: 'user', content: 'Hi' }] }).catch(
      (error: unknown) => error,
    );
    expect(alias).toBeInstanceOf(Anthropic.NotFoundError);
    expect((alias as Error).message).toContain('no-such-alias');
    const provider = await count({ model: 'nope/model', messages: [{ role: 'user', content: 'Hi' }] }).catch(
      (error: unknown) => error,
    );
    expect(provider).toBeInstanceOf(Anthropic.NotFoundError);
    expect((provider as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'not_found_error', message: expect.stringContaining('provider "nope" is not configured') },
    });

    const noMessages = await fetch(`${fixture.serverUrl}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'x-api-key': fixture.keySecret, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock/echo' }),
    });
    expect(noMessages.status).toBe(400);
    expect(await noMessages.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('body.messages') },
    });
  });

  it('is in the API docs, without max_tokens', async () => {
    const spec = (await fixture.context.app.inject('/docs/json')).json();
    const route = spec.paths['/v1/messages/count_tokens'].post;
    const body = route.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['model', 'messages']);
    expect(Object.keys(route.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404', '429']));
  });

  it('needs a gateway key', async () => {
    const anonymous = await new Anthropic({ baseURL: fixture.serverUrl, apiKey: 'sy-nope', maxRetries: 0 }).messages
      .countTokens({ model: 'mock/echo', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error: unknown) => error);
    expect(anonymous).toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('is not recorded as a call, and counts against the key’s requests per minute', async () => {
    const key = await createKey(fixture.owner, { scopes: ['gateway'], requestsPerMinute: 1 });
    const limited = new Anthropic({ baseURL: fixture.serverUrl, apiKey: key.secret, maxRetries: 0 });
    const params = { model: 'anthropic/claude-3-5-haiku-latest', messages: [{ role: 'user' as const, content: 'Hi' }] };
    const { response } = await limited.messages.countTokens(params).withResponse();
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('1');
    const refused = await limited.messages.countTokens(params).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);

    await fixture.context.app.services.batchWriter.flush();
    const traces = await fixture.owner.request('GET', `/api/traces?keyId=${key.id}`);
    expect(traces.json().data).toEqual([]);
  });
});
