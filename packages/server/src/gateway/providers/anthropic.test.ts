import { ANTHROPIC_REPLY, type FakeAnthropic, startFakeAnthropic } from '@switchyard/testing';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture } from '../../../test/gateway-fixture.js';
import type { SessionClient, TestContext } from '../../../test/test-app.js';

let upstream: FakeAnthropic;
let context: TestContext;
let client: OpenAI;
let owner: SessionClient;

beforeAll(async () => {
  upstream = await startFakeAnthropic();
  ({
    context,
    openai: client,
    owner,
  } = await startGatewayFixture({
    ANTHROPIC_API_KEY: upstream.apiKey,
    ANTHROPIC_BASE_URL: upstream.baseUrl,
  }));
});
afterAll(async () => {
  await context?.close();
  await upstream?.close();
});

const sent = () => upstream.received.at(-1);
const weatherTool = [
  {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      description: 'Weather by city',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
];

describe('OpenAI clients calling anthropic/* models', () => {
  it('translates a request and its answer, counting cached prompt tokens', async () => {
    const completion = await client.chat.completions.create({
      model: 'anthropic/claude-test',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      stop: 'END',
      temperature: 1.5,
    });
    expect(completion.choices[0]).toMatchObject({
      message: { role: 'assistant', content: ANTHROPIC_REPLY },
      finish_reason: 'stop',
    });
    // 20 fresh + 5 read from cache + 2 written to cache.
    expect(completion.usage).toMatchObject({
      prompt_tokens: 27,
      completion_tokens: 7,
      prompt_tokens_details: { cached_tokens: 5 },
    });
    expect(sent()?.headers['x-api-key']).toBe(upstream.apiKey);
    expect(sent()?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent()?.body).toEqual({
      model: 'claude-test',
      max_tokens: 4096,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      stop_sequences: ['END'],
      temperature: 1,
    });
  });

  it('translates tools, tool calls and tool results both ways', async () => {
    const first = await client.chat.completions.create({
      model: 'anthropic/claude-test',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: weatherTool,
      tool_choice: 'required',
    });
    expect(sent()?.body).toMatchObject({
      tools: [
        {
          name: 'get_weather',
          description: 'Weather by city',
          input_schema: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
      tool_choice: { type: 'any' },
    });
    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe('Let me check.');
    expect(choice?.message.tool_calls).toEqual([
      { id: 'toolu_fake1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);

    await client.chat.completions.create({
      model: 'anthropic/claude-test',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: choice?.message.tool_calls ?? [] },
        { role: 'tool', tool_call_id: 'toolu_fake1', content: '18°C, sunny' },
      ],
    });
    expect(sent()?.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_fake1', name: 'get_weather', input: { city: 'Paris' } }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_fake1', content: '18°C, sunny' }] },
    ]);
  });

  it('sends images as Anthropic image blocks', async () => {
    await client.chat.completions.create({
      model: 'anthropic/claude-test',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          ],
        },
      ],
    });
    const messages = (sent()?.body.messages ?? []) as Array<{ content: unknown[] }>;
    expect(messages[0]?.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
    ]);
  });

  it('streams text and tool calls as OpenAI chunks, with usage at the end', async () => {
    const text = await client.chat.completions.create({
      model: 'anthropic/claude-test',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let content = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    for await (const chunk of text) {
      content += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(content).toBe(ANTHROPIC_REPLY);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 27, completion_tokens: 7 });

    const tools = await client.chat.completions.create({
      model: 'anthropic/claude-test',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: weatherTool,
      stream: true,
    });
    const calls: Array<{ id?: string; name: string; arguments: string }> = [];
    for await (const chunk of tools) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        const slot = calls[call.index] ?? { name: '', arguments: '' };
        calls[call.index] = slot;
        if (call.id) slot.id = call.id;
        slot.name += call.function?.name ?? '';
        slot.arguments += call.function?.arguments ?? '';
      }
    }
    expect(calls).toEqual([{ id: 'toolu_fake1', name: 'get_weather', arguments: '{"city": "Paris"}' }]);
  });

  it('passes Anthropic’s errors on: overloaded as 502, a bad request as 400', async () => {
    const overloaded = await client.chat.completions
      .create({ model: 'anthropic/fail-529', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error) => error);
    expect(overloaded.status).toBe(502);
    expect(overloaded.message).toContain('anthropic answered 529: simulated 529');
    const bad = await client.chat.completions
      .create({ model: 'anthropic/fail-400', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error) => error);
    expect(bad.status).toBe(400);
    const many = await client.chat.completions
      .create({ model: 'anthropic/claude-test', messages: [{ role: 'user', content: 'Hi' }], n: 2 })
      .catch((error) => error);
    expect(many.status).toBe(400);
    expect(many.message).toContain('n: anthropic returns one choice');
  });

  it('names the org’s own provider, not "anthropic", when its stream breaks off', async () => {
    const created = await owner.request('POST', '/api/providers', {
      name: 'house-claude',
      kind: 'anthropic',
      baseUrl: upstream.baseUrl,
      apiKey: upstream.apiKey,
    });
    expect(created.statusCode).toBe(201);
    const stream = await client.chat.completions.create({
      model: 'house-claude/cut-stream',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    const failure = await (async () => {
      for await (const _chunk of stream);
    })().catch((error: unknown) => error);
    expect(String(failure)).toContain('house-claude stream broke off');
    expect(String(failure)).not.toContain('anthropic stream');
  });
});
