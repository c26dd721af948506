import Anthropic from '@anthropic-ai/sdk';
import {
  ANTHROPIC_REPLY,
  ANTHROPIC_THINKING,
  ANTHROPIC_USAGE,
  FAKE_REPLY,
  type FakeAnthropic,
  type FakeOpenAi,
  startFakeAnthropic,
  startFakeOpenAi,
} from '@switchyard/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture } from '../../test/gateway-fixture.js';
import type { SessionClient, TestContext } from '../../test/test-app.js';
import { observations } from '../db/telemetry-schema.js';

let openai: FakeOpenAi;
let anthropic: FakeAnthropic;
let context: TestContext;
let client: Anthropic;
let serverUrl: string;
let owner: SessionClient;

beforeAll(async () => {
  openai = await startFakeOpenAi();
  anthropic = await startFakeAnthropic();
  // The official SDK, unchanged: it sends the key as x-api-key to <baseURL>/v1/messages.
  ({
    context,
    serverUrl,
    owner,
    anthropic: client,
  } = await startGatewayFixture({
    OPENAI_API_KEY: openai.apiKey,
    OPENAI_BASE_URL: openai.baseUrl,
    ANTHROPIC_API_KEY: anthropic.apiKey,
    ANTHROPIC_BASE_URL: anthropic.baseUrl,
  }));
});
afterAll(async () => {
  await context?.close();
  await openai?.close();
  await anthropic?.close();
});

const textOf = (message: Anthropic.Message) =>
  message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');

describe('POST /v1/messages through the Anthropic SDK', () => {
  it('answers from the mock provider', async () => {
    const message = await client.messages.create({
      model: 'mock/echo',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'echo this' }],
    });
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: 'mock/echo', stop_reason: 'end_turn' });
    expect(textOf(message)).toBe('echo this');
  });

  it('answers from an OpenAI provider, in Anthropic’s usage terms', async () => {
    const message = await client.messages.create({
      model: 'openai/gpt-test',
      max_tokens: 50,
      system: 'Be terse.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(textOf(message)).toBe(FAKE_REPLY);
    expect(message.usage).toMatchObject({ input_tokens: 8, cache_read_input_tokens: 3, output_tokens: 5 });
    expect(openai.received.at(-1)?.body).toMatchObject({
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });

  it('answers from Anthropic itself', async () => {
    const message = await client.messages.create({
      model: 'anthropic/claude-test',
      max_tokens: 50,
      system: 'Be terse.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(textOf(message)).toBe(ANTHROPIC_REPLY);
    expect(anthropic.received.at(-1)?.body).toMatchObject({ system: 'Be terse.', max_tokens: 50 });
  });

  it('streams events the SDK assembles into the message', async () => {
    const stream = client.messages.stream({
      model: 'openai/gpt-test',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    let deltas = '';
    stream.on('text', (text) => {
      deltas += text;
    });
    const message = await stream.finalMessage();
    expect(deltas).toBe(FAKE_REPLY);
    expect(textOf(message)).toBe(FAKE_REPLY);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBe(5);
  });

  it('carries tools, tool use and tool results, streamed and not', async () => {
    const tools = [
      {
        name: 'get_weather',
        description: 'Weather by city',
        input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
      },
    ];
    const message = await client.messages.create({
      model: 'openai/gpt-test',
      max_tokens: 50,
      tools,
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toContainEqual({
      type: 'tool_use',
      id: 'call_fake1',
      name: 'get_weather',
      input: { city: 'Paris' },
    });
    expect(openai.received.at(-1)?.body.tools).toEqual([
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather by city', parameters: tools[0]?.input_schema },
      },
    ]);

    const streamed = await client.messages
      .stream({ model: 'openai/gpt-test', max_tokens: 50, tools, messages: [{ role: 'user', content: 'Weather?' }] })
      .finalMessage();
    expect(streamed.content).toContainEqual({
      type: 'tool_use',
      id: 'call_fake1',
      name: 'get_weather',
      input: { city: 'Paris' },
    });

    await client.messages.create({
      model: 'openai/gpt-test',
      max_tokens: 50,
      tools,
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_fake1', name: 'get_weather', input: { city: 'Paris' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_fake1', content: '18°C' }] },
      ],
    });
    expect(openai.received.at(-1)?.body.messages).toEqual([
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_fake1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_fake1', content: '18°C' },
    ]);
  });

  it('answers errors in Anthropic’s shape, which the SDK reads', async () => {
    const unknown = await client.messages
      .create({ model: 'nowhere/model', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error) => error);
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    expect(unknown.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    const noMaxTokens = await fetch(`${serverUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': client.apiKey ?? '', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock/echo', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(noMaxTokens.status).toBe(400);
    expect(((await noMaxTokens.json()) as { error: unknown }).error).toMatchObject({
      type: 'invalid_request_error',
      message: expect.stringContaining('body.max_tokens'),
    });
    const badKey = await new Anthropic({ baseURL: serverUrl, apiKey: 'sy-nope', maxRetries: 0 }).messages
      .create({ model: 'mock/echo', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error) => error);
    expect(badKey).toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('records the call like any other gateway call', async () => {
    const { response } = await client.messages
      .create({ model: 'mock/echo', max_tokens: 100, messages: [{ role: 'user', content: 'record me' }] })
      .withResponse();
    await context.app.services.batchWriter.flush();
    const [row] = await context.backends.database.db
      .select()
      .from(observations)
      .where(eq(observations.id, String(response.headers.get('x-switchyard-request-id'))));
    expect(row).toMatchObject({ name: 'messages', provider: 'mock', model: 'mock/echo', status: 'success' });
    expect(row?.output).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'record me' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
  });
});

/** The stored record of the call a response belongs to. */
async function recordOf(response: Response) {
  await context.app.services.batchWriter.flush();
  const [row] = await context.backends.database.db
    .select()
    .from(observations)
    .where(eq(observations.id, String(response.headers.get('x-switchyard-request-id'))));
  return row;
}

describe('POST /v1/messages to Anthropic targets, natively', () => {
  it('forwards Anthropic-only fields (cache_control, thinking, top_k, metadata, betas) unchanged', async () => {
    const params = {
      model: 'anthropic/claude-test',
      max_tokens: 2048,
      system: [
        { type: 'text' as const, text: 'A long shared preamble.', cache_control: { type: 'ephemeral' as const } },
      ],
      messages: [
        {
          role: 'user' as const,
          content: [
            { type: 'text' as const, text: 'Hi', cache_control: { type: 'ephemeral' as const, ttl: '1h' as const } },
          ],
        },
      ],
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      top_k: 5,
      metadata: { user_id: 'user-42' },
    };
    await client.messages.create(params, { headers: { 'anthropic-beta': 'extended-cache-ttl-2025-04-11' } });
    const received = anthropic.received.at(-1);
    expect(received?.body).toEqual({ ...params, model: 'claude-test' });
    expect(received?.headers['anthropic-beta']).toBe('extended-cache-ttl-2025-04-11');
    // The upstream sees the server's Anthropic key, never the client's gateway key.
    expect(received?.headers['x-api-key']).toBe(anthropic.apiKey);
  });

  it('hands Anthropic’s thinking blocks and usage to the client unchanged, streamed and not', async () => {
    const params = {
      model: 'anthropic/thinker',
      max_tokens: 2048,
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      messages: [{ role: 'user' as const, content: 'Hi' }],
    };
    const message = await client.messages.create(params);
    expect(message.content).toEqual([ANTHROPIC_THINKING, { type: 'text', text: ANTHROPIC_REPLY }]);
    expect(message.usage).toEqual(ANTHROPIC_USAGE);

    const stream = client.messages.stream(params);
    const { response } = await stream.withResponse();
    let thinking = '';
    stream.on('thinking', (delta) => {
      thinking += delta;
    });
    const streamed = await stream.finalMessage();
    expect(thinking).toBe(ANTHROPIC_THINKING.thinking);
    expect(streamed.content).toEqual([ANTHROPIC_THINKING, { type: 'text', text: ANTHROPIC_REPLY }]);
    expect(streamed.usage).toEqual(ANTHROPIC_USAGE);
    // The record keeps the thinking block, signature and all, as the SDK put it together.
    expect((await recordOf(response))?.output).toMatchObject({ content: streamed.content, stop_reason: 'end_turn' });
  });

  it('records Anthropic’s usage with cache reads and writes, streamed and not', async () => {
    const params = {
      model: 'anthropic/claude-test',
      max_tokens: 50,
      messages: [{ role: 'user' as const, content: 'Hi' }],
    };
    // 20 fresh + 5 read from cache + 2 written to cache.
    const counted = { inputTokens: 27, cachedInputTokens: 5, outputTokens: 7 };

    const plain = await client.messages.create(params).withResponse();
    expect(await recordOf(plain.response)).toMatchObject({
      ...counted,
      provider: 'anthropic',
      model: 'anthropic/claude-test',
      status: 'success',
      statusCode: 200,
      output: { role: 'assistant', content: [{ type: 'text', text: ANTHROPIC_REPLY }], stop_reason: 'end_turn' },
    });

    const streamed = await client.messages.create({ ...params, stream: true }).withResponse();
    let text = '';
    for await (const event of streamed.data)
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    expect(text).toBe(ANTHROPIC_REPLY);
    const row = await recordOf(streamed.response);
    expect(row).toMatchObject({
      ...counted,
      status: 'success',
      statusCode: 200,
      output: { role: 'assistant', content: [{ type: 'text', text: ANTHROPIC_REPLY }], stop_reason: 'end_turn' },
    });
    expect(row?.ttftMs).toBeGreaterThan(0);
  });

  it('ends a stream Anthropic breaks off with an error event the SDK raises, and records the failure', async () => {
    const { data, response } = await client.messages
      .create({
        model: 'anthropic/cut-stream',
        max_tokens: 50,
        stream: true,
        messages: [{ role: 'user', content: 'Hi' }],
      })
      .withResponse();
    let text = '';
    const failure = await (async () => {
      for await (const event of data)
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    })().catch((error: unknown) => error);
    expect(text).toBe('Hello ');
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    // What streamed before the break is recorded, with no stop reason: the answer never ended.
    expect(await recordOf(response)).toMatchObject({
      status: 'error',
      statusCode: 502,
      output: { content: [{ type: 'text', text: 'Hello ' }], stop_reason: null },
    });
  });

  it('falls back to the next target when Anthropic fails before the stream starts', async () => {
    const created = await owner.request('POST', '/api/routes', {
      alias: 'claude-with-fallback',
      targets: [{ model: 'anthropic/fail-529' }, { model: 'anthropic/thinker' }],
      fallbackOn: [529],
    });
    expect(created.statusCode).toBe(201);
    const { data, response } = await client.messages
      .stream({ model: 'claude-with-fallback', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    const message = await data.finalMessage();
    expect(message.content).toEqual([ANTHROPIC_THINKING, { type: 'text', text: ANTHROPIC_REPLY }]);
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
  });
});
