import { type FakeGemini, GEMINI_REPLY, startFakeGemini } from '@switchyard/testing';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture } from '../../../test/gateway-fixture.js';
import type { TestContext } from '../../../test/test-app.js';

let upstream: FakeGemini;
let context: TestContext;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeGemini();
  ({ context, openai: client } = await startGatewayFixture({
    GEMINI_API_KEY: upstream.apiKey,
    GEMINI_BASE_URL: upstream.baseUrl,
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
    function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  },
];

describe('OpenAI clients calling gemini/* models', () => {
  it('translates the request and the answer, with cached prompt tokens', async () => {
    const completion = await client.chat.completions.create({
      model: 'gemini/gemini-test',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      max_tokens: 64,
      stop: ['END'],
      response_format: { type: 'json_object' },
    });
    expect(completion.choices[0]).toMatchObject({
      message: { role: 'assistant', content: GEMINI_REPLY },
      finish_reason: 'stop',
    });
    expect(completion.usage).toMatchObject({
      prompt_tokens: 9,
      completion_tokens: 6,
      prompt_tokens_details: { cached_tokens: 4 },
    });
    expect(sent()?.url).toBe('/v1beta/models/gemini-test:generateContent');
    expect(sent()?.headers['x-goog-api-key']).toBe(upstream.apiKey);
    expect(sent()?.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { maxOutputTokens: 64, stopSequences: ['END'], responseMimeType: 'application/json' },
    });
  });

  it('translates tools, function calls and their results', async () => {
    const first = await client.chat.completions.create({
      model: 'gemini/gemini-test',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: weatherTool,
      tool_choice: 'required',
    });
    expect(sent()?.body).toMatchObject({
      tools: [{ functionDeclarations: [{ name: 'get_weather' }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    await client.chat.completions.create({
      model: 'gemini/gemini-test',
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: call ? [call] : [] },
        { role: 'tool', tool_call_id: call?.id ?? '', content: '18°C' },
      ],
    });
    expect(sent()?.body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { content: '18°C' } } }] },
    ]);
  });

  it('streams, with usage at the end', async () => {
    const stream = await client.chat.completions.create({
      model: 'gemini/gemini-test',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(GEMINI_REPLY);
    expect(usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 6 });
    expect(sent()?.url).toBe('/v1beta/models/gemini-test:streamGenerateContent?alt=sse');
  });

  it('embeds, and passes errors on', async () => {
    const embeddings = await client.embeddings.create({
      model: 'gemini/text-embedding-004',
      input: ['a', 'b'],
      encoding_format: 'float',
    });
    expect(embeddings.data.map((item) => item.embedding)).toEqual([
      [0.5, 0.25],
      [0.5, 0.25],
    ]);
    const outage = await client.chat.completions
      .create({ model: 'gemini/fail-503', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error) => error);
    expect(outage.status).toBe(502);
    expect(outage.message).toContain('gemini answered 503: simulated 503');
  });
});
