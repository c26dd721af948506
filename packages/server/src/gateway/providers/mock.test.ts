import type Anthropic from '@anthropic-ai/sdk';
import { betaTool } from '@anthropic-ai/sdk/helpers/beta/json-schema';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayFixture, startGatewayFixture } from '../../../test/gateway-fixture.js';

// The SDKs' tool loops end on `mock/echo` as on a real model: it calls the tool, then answers with
// what the tool returned. (It used to call the tool again on every turn, until the loop's cap.)

let fixture: GatewayFixture;
let openai: OpenAI;
let anthropic: Anthropic;
beforeAll(async () => {
  fixture = await startGatewayFixture();
  ({ openai, anthropic } = fixture);
});
afterAll(() => fixture?.close());

const WEATHER = 'Sunny, 18°C in Lisbon';

function weatherTool(calls: string[]) {
  return {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: { type: 'object', properties: { input: { type: 'string' } } },
      function: (args: string) => {
        calls.push(args);
        return WEATHER;
      },
    },
  };
}

describe("the openai SDK's runTools on mock/echo", () => {
  it('calls the tool once and finishes with an answer that uses its result', async () => {
    const toolCalls: string[] = [];
    const runner = openai.chat.completions.runTools({
      model: 'mock/echo',
      messages: [{ role: 'user', content: 'Weather in Lisbon?' }],
      tools: [weatherTool(toolCalls)],
    });
    const content = await runner.finalContent();
    expect(toolCalls).toHaveLength(1);
    expect(runner.allChatCompletions()).toHaveLength(2);
    expect(content).toContain(WEATHER);
  });

  it('does the same streamed', async () => {
    const toolCalls: string[] = [];
    const runner = openai.chat.completions.runTools({
      model: 'mock/echo',
      stream: true,
      messages: [{ role: 'user', content: 'Weather in Lisbon?' }],
      tools: [weatherTool(toolCalls)],
    });
    const content = await runner.finalContent();
    expect(toolCalls).toHaveLength(1);
    expect(runner.allChatCompletions()).toHaveLength(2);
    expect(content).toContain(WEATHER);
  });

  it('calls a tool again for a new question after its answer', async () => {
    const completion = await openai.chat.completions.create({
      model: 'mock/echo',
      messages: [
        { role: 'user', content: 'Weather in Lisbon?' },
        {
          role: 'assistant',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: WEATHER },
        { role: 'assistant', content: `get_weather returned: ${WEATHER}` },
        { role: 'user', content: 'And in Porto?' },
      ],
      tools: [weatherTool([])].map(({ function: { function: _run, ...definition } }) => ({
        type: 'function' as const,
        function: definition,
      })),
    });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
  });
});

describe('tool results through /v1/messages on mock/echo', () => {
  const history: Anthropic.MessageParam[] = [
    { role: 'user', content: 'Weather in Lisbon?' },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: WEATHER }] },
  ];
  const tools: Anthropic.Tool[] = [{ name: 'get_weather', input_schema: { type: 'object', properties: {} } }];

  it('answers a tool_result with text that quotes it, and ends the turn', async () => {
    const message = await anthropic.messages.create({ model: 'mock/echo', max_tokens: 100, messages: history, tools });
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content).toEqual([
      expect.objectContaining({ type: 'text', text: expect.stringContaining(WEATHER) }),
    ]);
  });

  it('does the same streamed', async () => {
    const message = await anthropic.messages
      .stream({ model: 'mock/echo', max_tokens: 100, messages: history, tools })
      .finalMessage();
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content).toEqual([
      expect.objectContaining({ type: 'text', text: expect.stringContaining(WEATHER) }),
    ]);
  });

  it("ends the Anthropic SDK's tool runner after one tool call", async () => {
    const toolCalls: unknown[] = [];
    const runner = anthropic.beta.messages.toolRunner({
      model: 'mock/echo',
      max_tokens: 100,
      max_iterations: 5,
      // By default the runner keeps the conversation in a server-held message thread, which the
      // gateway does not hold; with `thread: false` it sends the whole history, as to any provider.
      thread: false,
      messages: [{ role: 'user', content: 'Weather in Lisbon?' }],
      tools: [
        betaTool({
          name: 'get_weather',
          description: 'The weather in a city',
          inputSchema: { type: 'object', properties: { input: { type: 'string' } } },
          run: (input) => {
            toolCalls.push(input);
            return WEATHER;
          },
        }),
      ],
    });
    let turns = 0;
    for await (const _message of runner) turns += 1;
    const final = await runner.done();
    expect(toolCalls).toHaveLength(1);
    expect(turns).toBe(2);
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: expect.stringContaining(WEATHER) })]);
  });
});

describe("Anthropic's server-held message threads through /v1/messages", () => {
  it("refuses a thread with Anthropic's own error, so the SDK's tool runner goes on with the whole history", async () => {
    const refusal = await anthropic.beta.messages
      .create({
        model: 'mock/echo',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hello' }],
        thread: { type: 'create' },
      } as Parameters<typeof anthropic.beta.messages.create>[0])
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refusal).toMatchObject({
      status: 400,
      error: { error: { details: { error_code: 'thread_unsupported_request' } } },
    });
    expect(String((refusal as Error).message)).toContain('send the whole conversation in messages');

    // The runner threads by default, and on that refusal continues unthreaded.
    const toolCalls: unknown[] = [];
    const runner = anthropic.beta.messages.toolRunner({
      model: 'mock/echo',
      max_tokens: 100,
      max_iterations: 5,
      messages: [{ role: 'user', content: 'Weather in Lisbon?' }],
      tools: [
        betaTool({
          name: 'get_weather',
          description: 'The weather in a city',
          inputSchema: { type: 'object', properties: { input: { type: 'string' } } },
          run: (input) => {
            toolCalls.push(input);
            return WEATHER;
          },
        }),
      ],
    });
    for await (const _message of runner);
    const final = await runner.done();
    expect(toolCalls).toHaveLength(1);
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: expect.stringContaining(WEATHER) })]);
  });

  it('continues unthreaded when the thread is told to, sending the whole history each turn', async () => {
    const tag = 'thread-history';
    const thread = anthropic.beta.messages.thread(
      { model: 'mock/echo', max_tokens: 100, unsupportedRequestBehavior: 'continue_unthreaded' },
      { headers: { 'x-switchyard-tags': tag } },
    );
    const first = await thread.send({ role: 'user', content: 'My name is Ada.' });
    const second = await thread.send({ role: 'user', content: 'What is my name?' });
    expect(first.content).toEqual([expect.objectContaining({ type: 'text', text: 'My name is Ada.' })]);
    expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: 'What is my name?' })]);
    // The second turn reached the model with the first one before it, not alone.
    const historyLengths = async () => {
      const listed = await fixture.owner.request('GET', `/api/traces?tag=${tag}`);
      const lengths = await Promise.all(
        (listed.json().data as Array<{ id: string }>).map(async ({ id }) => {
          const detail = await fixture.owner.request('GET', `/api/traces/${id}`);
          const observations = (detail.json().observations ?? []) as Array<{ input?: { messages?: unknown[] } }>;
          return observations[0]?.input?.messages?.length;
        }),
      );
      return lengths.sort();
    };
    await expect.poll(historyLengths).toEqual([1, 3]);
  });
});
