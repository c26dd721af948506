import { FAKE_REPLY, type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture } from '../../test/gateway-fixture.js';
import type { TestContext } from '../../test/test-app.js';

let upstream: FakeOpenAi;
let context: TestContext;
let client: OpenAI;
let keySecret: string;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  // The official client, unchanged; no retries, so each test sees exactly one call's outcome.
  ({
    context,
    keySecret,
    openai: client,
  } = await startGatewayFixture({ OPENAI_API_KEY: upstream.apiKey, OPENAI_BASE_URL: upstream.baseUrl }));
});
afterAll(async () => {
  await context?.close();
  await upstream?.close();
});

const lastUpstreamRequest = () => upstream.received.at(-1);

describe('POST /v1/chat/completions through the openai SDK', () => {
  it('answers a completion from the provider, with our headers, using the server’s provider key', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'openai/gpt-test', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(FAKE_REPLY);
    expect(data.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 5 });
    expect(response.headers.get('x-switchyard-provider')).toBe('openai');
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(response.headers.get('x-switchyard-request-id')).toBeTruthy();
    const sent = lastUpstreamRequest();
    expect(sent?.body.model).toBe('gpt-test');
    expect(sent?.headers.authorization).toBe(`Bearer ${upstream.apiKey}`);
    expect(JSON.stringify(sent?.headers)).not.toContain(keySecret);
  });

  it('passes parameters it does not interpret to the provider unchanged', async () => {
    await client.chat.completions.create({
      model: 'openai/gpt-test',
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'Hi' },
      ],
      n: 2,
      stop: ['\n'],
      temperature: 0.2,
      response_format: { type: 'json_object' },
      seed: 42,
      logit_bias: { '50256': -100 },
    });
    expect(lastUpstreamRequest()?.body).toMatchObject({
      n: 2,
      stop: ['\n'],
      temperature: 0.2,
      response_format: { type: 'json_object' },
      seed: 42,
      logit_bias: { '50256': -100 },
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });

  it('returns tool calls', async () => {
    const tools = [
      { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } },
    ];
    const completion = await client.chat.completions.create({
      model: 'openai/gpt-test',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools,
    });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
    });

    const stream = await client.chat.completions.create({
      model: 'openai/gpt-test',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools,
      stream: true,
    });
    const names: string[] = [];
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? [])
        if (call.function?.name) names.push(call.function.name);
    }
    expect(names).toEqual(['get_weather']);
  });

  it('streams chunks as they come and ends with [DONE], hiding the usage chunk it asked for itself', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-test',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    let text = '';
    let chunksWithUsage = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) chunksWithUsage += 1;
    }
    expect(text).toBe(FAKE_REPLY);
    expect(chunksWithUsage).toBe(0);
    expect(lastUpstreamRequest()?.body.stream_options).toEqual({ include_usage: true });
  });

  it('delivers usage at the end of a stream when the client asks for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-test',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage).toMatchObject({
      prompt_tokens: 11,
      completion_tokens: 5,
      prompt_tokens_details: { cached_tokens: 3 },
    });
  });

  it('ends a stream cut off upstream with an error the client sees, never a clean end', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/cut-stream',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    let text = '';
    const consume = async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    };
    await expect(consume()).rejects.toThrow(/broke off|ended without/);
    expect(text).toBe('Hello');
  });

  it('stops the upstream stream when the client goes away', async () => {
    const before = upstream.streamsClosedEarly;
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'openai/slow-stream', messages: [{ role: 'user', content: 'Hi' }], stream: true },
      { signal: controller.signal },
    );
    let chunks = 0;
    // The SDK ends the loop quietly when its signal aborts; what matters is the upstream side.
    await (async () => {
      for await (const _chunk of stream) {
        chunks += 1;
        controller.abort();
      }
    })().catch(() => {});
    expect(chunks).toBeLessThan(5);
    await expect.poll(() => upstream.streamsClosedEarly, { timeout: 2_000 }).toBe(before + 1);
  });

  it('passes the provider’s complaint about a request back with its status', async () => {
    const error = await client.chat.completions
      .create({ model: 'openai/fail-400', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toContain('simulated 400');
  });

  it('answers 502 for a provider outage and 429 with retry-after for its rate limit', async () => {
    const outage = await client.chat.completions
      .create({ model: 'openai/fail-503', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((caught) => caught);
    expect(outage).toBeInstanceOf(OpenAI.APIError);
    expect(outage.status).toBe(502);
    expect(outage.message).toContain('openai answered 503');
    const limited = await client.chat.completions
      .create({ model: 'openai/fail-429', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((caught) => caught);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited.headers.get('retry-after')).toBe('7');
  });

  it('names the bad field and the configured providers in request errors', async () => {
    const noMessages = await client.chat.completions
      .create({ model: 'openai/gpt-test', messages: [] })
      .catch((caught) => caught);
    expect(noMessages.status).toBe(400);
    expect(noMessages.message).toContain('body.messages: needs at least one message');
    const unknown = await client.chat.completions
      .create({ model: 'nowhere/model', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((caught) => caught);
    expect(unknown.status).toBe(404);
    expect(unknown.message).toContain('provider "nowhere" is not configured on this server (configured: mock, openai)');
  });

  it('counts calls, tokens and cost in Prometheus metrics', async () => {
    await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    const metrics = (await context.app.inject('/metrics')).body;
    // Models outside the built-in price table (the fake's gpt-test, fail-503) count as other.
    expect(metrics).toMatch(/switchyard_llm_requests_total\{provider="openai",model="other",status="success"\} [1-9]/);
    expect(metrics).toMatch(/switchyard_llm_requests_total\{provider="openai",model="other",status="error"\} [1-9]/);
    expect(metrics).not.toContain('gpt-test');
    expect(metrics).toMatch(
      /switchyard_llm_tokens_total\{provider="openai",model="openai\/gpt-4o-mini",type="input"\} 11/,
    );
    // 8 uncached × $0.15/M + 3 cached × $0.075/M + 5 × $0.60/M
    const cost = Number(
      metrics.match(/switchyard_llm_cost_usd_total\{provider="openai",model="openai\/gpt-4o-mini"\} (\S+)/)?.[1],
    );
    expect(cost).toBeCloseTo((8 * 0.15 + 3 * 0.075 + 5 * 0.6) / 1e6, 12);
    expect(metrics).toContain('switchyard_llm_time_to_first_token_seconds_bucket');
  });
});

describe('the built-in mock provider', () => {
  it('echoes the last user message, streamed or not', async () => {
    const completion = await client.chat.completions.create({
      model: 'mock/echo',
      messages: [{ role: 'user', content: 'ping pong' }],
    });
    expect(completion.choices[0]?.message.content).toBe('ping pong');
    const stream = await client.chat.completions.create({
      model: 'mock/echo',
      messages: [{ role: 'user', content: 'ping pong' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('ping pong');
  });

  it('streams as many tokens as x-mock-tokens asks for', async () => {
    const stream = await client.chat.completions.create(
      {
        model: 'mock/stream',
        messages: [{ role: 'user', content: 'go' }],
        stream: true,
        stream_options: { include_usage: true },
      },
      { headers: { 'x-mock-tokens': '40', 'x-mock-delay-ms': '0' } },
    );
    let contentChunks = 0;
    let completionTokens = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) contentChunks += 1;
      if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
    }
    expect(contentChunks).toBe(40);
    expect(completionTokens).toBe(40);
  });

  it('lists its models and the configured providers on /v1/models', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['mock/echo', 'mock/stream']));
  });
});

describe('POST /v1/embeddings', () => {
  it('returns the provider’s embeddings', async () => {
    const result = await client.embeddings.create({ model: 'openai/text-embedding-3-small', input: ['a', 'b'] });
    const rounded = result.data.map((item) => item.embedding.map((value) => Number(value.toFixed(5))));
    expect(rounded).toEqual([
      [0.1, 0.2, 0.3],
      [0.1, 0.2, 0.3],
    ]);
    expect(lastUpstreamRequest()?.body.model).toBe('text-embedding-3-small');
  });

  it('embeds deterministically with the mock provider', async () => {
    const first = await client.embeddings.create({ model: 'mock/embed', input: 'same text', dimensions: 16 });
    const second = await client.embeddings.create({ model: 'mock/embed', input: 'same text', dimensions: 16 });
    expect(first.data[0]?.embedding).toHaveLength(16);
    expect(first.data[0]?.embedding).toEqual(second.data[0]?.embedding);
  });
});
