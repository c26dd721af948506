import Anthropic from '@anthropic-ai/sdk';
import { ANTHROPIC_REPLY, type FakeAnthropic, startFakeAnthropic } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bodiesOf, type IngestReceiver, startIngestReceiver, testOptions } from '../test/ingest-receiver.js';
import { SwitchyardClient } from './client.js';
import { wrapAnthropic } from './wrap-anthropic.js';

let fake: FakeAnthropic;
let receiver: IngestReceiver;
let sdk: SwitchyardClient & { errors: unknown[] };
let plain: Anthropic;
let wrapped: Anthropic;
const request = {
  model: 'claude-test',
  max_tokens: 64,
  system: 'Be brief.',
  messages: [{ role: 'user' as const, content: 'Say hello' }],
};
// 20 input + 5 cache reads + 2 cache writes: Switchyard counts every prompt token as input.
const USAGE = { inputTokens: 27, outputTokens: 7, cachedInputTokens: 5 };

// @anthropic-ai/sdk 1.x sends its key as `authorization: Bearer`; the fake checks `x-api-key`, as the API does.
const anthropicClient = () =>
  new Anthropic({
    apiKey: fake.apiKey,
    baseURL: fake.baseUrl,
    maxRetries: 0,
    defaultHeaders: { 'x-api-key': fake.apiKey },
  });

async function onlyGeneration() {
  await sdk.flush();
  const recorded = bodiesOf(receiver, 'observation-create');
  expect(recorded).toHaveLength(1);
  return recorded[0] as NonNullable<(typeof recorded)[0]>;
}

async function collect<TItem>(stream: AsyncIterable<TItem>): Promise<TItem[]> {
  const items: TItem[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(() => fake.close());

beforeEach(async () => {
  receiver = await startIngestReceiver();
  const options = testOptions(receiver);
  sdk = Object.assign(new SwitchyardClient(options), { errors: options.errors });
  plain = anthropicClient();
  wrapped = wrapAnthropic(anthropicClient(), { client: sdk });
});

afterEach(async () => {
  await sdk.shutdown();
  expect(sdk.errors).toEqual([]);
  await receiver.close();
});

describe('messages.create', () => {
  it('returns what the plain client returns and records the generation', async () => {
    const expected = await plain.messages.create(request);
    expect(await wrapped.messages.create(request)).toEqual(expected);
    const { data, response } = await wrapped.messages.create(request).withResponse();
    expect(data).toEqual(expected);
    expect(response.status).toBe(200);

    await sdk.flush();
    const [generation] = bodiesOf(receiver, 'observation-create');
    expect(generation).toMatchObject({
      type: 'generation',
      name: 'anthropic.messages.create',
      provider: 'anthropic',
      model: 'claude-test-20260101',
      status: 'success',
      input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
      output: { role: 'assistant', content: [{ type: 'text', text: ANTHROPIC_REPLY }] },
      usage: USAGE,
      metadata: { parameters: { max_tokens: 64 }, stopReason: 'end_turn' },
    });
  });

  it('streams the same events and records usage from message_start and message_delta, and first-token time', async () => {
    const expected = await collect(await plain.messages.create({ ...request, stream: true }));
    const events = await collect(await wrapped.messages.create({ ...request, stream: true }));
    expect(events).toEqual(expected);

    const generation = await onlyGeneration();
    expect(generation).toMatchObject({
      model: 'claude-test-20260101',
      status: 'success',
      output: { role: 'assistant', content: [{ type: 'text', text: ANTHROPIC_REPLY }] },
      usage: USAGE,
      metadata: { stopReason: 'end_turn' },
    });
    const { startTime, completionStartTime, endTime } = generation;
    expect(completionStartTime && endTime && startTime <= completionStartTime && completionStartTime <= endTime).toBe(
      true,
    );
  });

  it('rebuilds streamed tool calls and thinking blocks', async () => {
    const tools = [{ name: 'get_weather', input_schema: { type: 'object' as const } }];
    await collect(await wrapped.messages.create({ ...request, tools, stream: true }));
    await collect(await wrapped.messages.create({ ...request, model: 'thinker', stream: true }));
    await sdk.flush();
    const [toolCall, thinking] = bodiesOf(receiver, 'observation-create');
    expect(toolCall?.output).toEqual({
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'toolu_fake1', name: 'get_weather', input: { city: 'Paris' } },
      ],
    });
    expect(thinking?.output).toMatchObject({
      content: [{ type: 'thinking' }, { type: 'text', text: ANTHROPIC_REPLY }],
    });
  });

  it('records messages.stream(), which is built on create()', async () => {
    const expected = await plain.messages.stream(request).finalMessage();
    expect(await wrapped.messages.stream(request).finalMessage()).toEqual(expected);
    expect(await onlyGeneration()).toMatchObject({ usage: USAGE, status: 'success' });
  });

  it('passes errors through unchanged and records them', async () => {
    const failing = { ...request, model: 'fail-400' };
    const expected = await plain.messages.create(failing).catch((error: unknown) => error);
    const error = await wrapped.messages.create(failing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error).toMatchObject({ status: 400, message: (expected as Error).message });
    expect(await onlyGeneration()).toMatchObject({
      model: 'fail-400',
      status: 'error',
      statusMessage: (expected as Error).message,
    });
  });
});
