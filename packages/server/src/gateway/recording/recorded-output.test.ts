import type Anthropic from '@anthropic-ai/sdk';
import { type Observation, traceDetailSchema, traceSummarySchema } from '@switchyard/shared';
import {
  ANTHROPIC_REPLY,
  FAKE_REPLY,
  type FakeAnthropic,
  type FakeGemini,
  type FakeOpenAi,
  GEMINI_REPLY,
  startFakeAnthropic,
  startFakeGemini,
  startFakeOpenAi,
} from '@switchyard/testing';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type GatewayFixture, startGatewayFixture } from '../../../test/gateway-fixture.js';

/**
 * What a user reads of every gateway call in the request detail: for each provider kind, through
 * both entry points, streamed and not, with and without tools, the trace shows the input, the
 * answer (text or tool call), the tokens and the cost.
 */
let openaiUpstream: FakeOpenAi;
let anthropicUpstream: FakeAnthropic;
let geminiUpstream: FakeGemini;
let fixture: GatewayFixture;

beforeAll(async () => {
  [openaiUpstream, anthropicUpstream, geminiUpstream] = await Promise.all([
    startFakeOpenAi(),
    startFakeAnthropic(),
    startFakeGemini(),
  ]);
  fixture = await startGatewayFixture({
    ANTHROPIC_API_KEY: anthropicUpstream.apiKey,
    ANTHROPIC_BASE_URL: anthropicUpstream.baseUrl,
    GEMINI_API_KEY: geminiUpstream.apiKey,
    GEMINI_BASE_URL: geminiUpstream.baseUrl,
  });
  // An OpenAI-compatible server of the org's own, priced by the org (no built-in price knows it).
  const provider = await fixture.owner.request('POST', '/api/providers', {
    name: 'compat',
    kind: 'openai-compatible',
    baseUrl: openaiUpstream.baseUrl,
    apiKey: openaiUpstream.apiKey,
  });
  expect(provider.statusCode).toBe(201);
  const price = await fixture.owner.request('PUT', '/api/prices', { model: 'compat/*', input: 1, output: 2 });
  expect(price.statusCode).toBe(200);
});
afterAll(async () => {
  await fixture?.close();
  await Promise.all([openaiUpstream?.close(), anthropicUpstream?.close(), geminiUpstream?.close()]);
});

type ProviderCase = {
  kind: string;
  model: string;
  /** The text the provider answers the prompt below with. */
  reply: string;
  /** Whether the model has a price, so the record must carry a cost above zero. */
  priced: boolean;
};

const PROMPT = 'What is the weather in Paris?';

const PROVIDERS: ProviderCase[] = [
  { kind: 'openai-compatible', model: 'compat/gpt-test', reply: FAKE_REPLY, priced: true },
  { kind: 'anthropic', model: 'anthropic/claude-3-5-haiku-latest', reply: ANTHROPIC_REPLY, priced: true },
  { kind: 'gemini', model: 'gemini/gemini-2.5-flash', reply: GEMINI_REPLY, priced: true },
  // mock/echo answers with the prompt and costs nothing.
  { kind: 'mock', model: 'mock/echo', reply: PROMPT, priced: false },
];

const CASES = PROVIDERS.flatMap((provider) =>
  (['/v1/chat/completions', '/v1/messages'] as const).flatMap((endpoint) =>
    [false, true].flatMap((stream) => [false, true].map((tools) => ({ ...provider, endpoint, stream, tools }))),
  ),
);
type Case = (typeof CASES)[number];

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** Makes the case's call with the official SDK, reading a stream to its end; tags it to find its trace. */
async function call(testCase: Case, tag: string): Promise<void> {
  const headers = { 'x-switchyard-tags': tag };
  if (testCase.endpoint === '/v1/chat/completions') {
    const body: OpenAI.ChatCompletionCreateParamsNonStreaming = {
      model: testCase.model,
      max_tokens: 100,
      messages: [{ role: 'user', content: PROMPT }],
      ...(testCase.tools ? { tools: [{ type: 'function', function: WEATHER_TOOL }] } : {}),
    };
    if (!testCase.stream) await fixture.openai.chat.completions.create(body, { headers });
    else
      for await (const _chunk of await fixture.openai.chat.completions.create({ ...body, stream: true }, { headers }));
    return;
  }
  const body: Anthropic.MessageCreateParamsNonStreaming = {
    model: testCase.model,
    max_tokens: 100,
    messages: [{ role: 'user', content: PROMPT }],
    ...(testCase.tools
      ? {
          tools: [
            {
              name: WEATHER_TOOL.name,
              description: WEATHER_TOOL.description,
              input_schema: WEATHER_TOOL.parameters as Anthropic.Tool.InputSchema,
            },
          ],
        }
      : {}),
  };
  if (!testCase.stream) await fixture.anthropic.messages.create(body, { headers });
  else await fixture.anthropic.messages.stream(body, { headers }).finalMessage();
}

/** The recorded answer as the dashboard reads it: its text, the tools it called, why it stopped. */
function answerOf(testCase: Case, output: unknown): { text: string; toolCalls: string[]; stop: unknown } {
  if (testCase.endpoint === '/v1/chat/completions') {
    const [choice] = z
      .array(
        z.object({
          message: z.object({
            content: z.string().nullish(),
            tool_calls: z.array(z.object({ function: z.object({ name: z.string() }) })).optional(),
          }),
          finish_reason: z.string().nullable(),
        }),
      )
      .parse(output);
    return {
      text: choice?.message.content ?? '',
      toolCalls: (choice?.message.tool_calls ?? []).map((toolCall) => toolCall.function.name),
      stop: choice?.finish_reason,
    };
  }
  const message = z
    .object({
      role: z.literal('assistant'),
      content: z.array(z.looseObject({ type: z.string(), text: z.string().optional(), name: z.string().optional() })),
      stop_reason: z.string().nullable(),
    })
    .parse(output);
  return {
    text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
    toolCalls: message.content.filter((block) => block.type === 'tool_use').map((block) => String(block.name)),
    stop: message.stop_reason,
  };
}

describe.each(CASES)('the record of a $kind call ($model) to $endpoint, stream: $stream, tools: $tools', (testCase) => {
  it('has the input, the answer, the tokens and the cost', async () => {
    const tag = `case-${CASES.indexOf(testCase)}`;
    await call(testCase, tag);
    await fixture.context.app.services.batchWriter.flush();

    const listed = await fixture.owner.request('GET', `/api/traces?tag=${tag}`);
    expect(listed.statusCode).toBe(200);
    const [summary, ...others] = z.object({ data: z.array(traceSummarySchema) }).parse(listed.json()).data;
    expect(others).toEqual([]);
    expect(summary).toMatchObject({ status: 'success', models: [testCase.model] });
    expect(summary?.inputTokens).toBeGreaterThan(0);
    expect(summary?.outputTokens).toBeGreaterThan(0);

    const detail = traceDetailSchema.parse((await fixture.owner.request('GET', `/api/traces/${summary?.id}`)).json());
    const [generation] = detail.observations as [Observation];
    expect(generation).toMatchObject({ type: 'generation', source: 'gateway', model: testCase.model });
    expect(generation.inputTokens).toBeGreaterThan(0);
    expect(generation.outputTokens).toBeGreaterThan(0);
    if (testCase.priced) expect(generation.costUsd).toBeGreaterThan(0);
    else expect(generation.costUsd).toBe(0);
    expect(summary?.costUsd).toBe(generation.costUsd);

    expect(generation.input).toMatchObject({ messages: [{ role: 'user', content: PROMPT }] });
    if (testCase.tools) expect(JSON.stringify(generation.input)).toContain(WEATHER_TOOL.name);

    const answer = answerOf(testCase, generation.output);
    const toolStop = testCase.endpoint === '/v1/chat/completions' ? 'tool_calls' : 'tool_use';
    const textStop = testCase.endpoint === '/v1/chat/completions' ? 'stop' : 'end_turn';
    // The providers call the one tool offered (some say a few words first), else answer in text.
    if (testCase.tools) expect(answer).toMatchObject({ toolCalls: [WEATHER_TOOL.name], stop: toolStop });
    else expect(answer).toEqual({ text: testCase.reply, toolCalls: [], stop: textStop });
  });
});
