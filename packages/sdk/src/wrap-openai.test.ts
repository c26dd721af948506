import { FAKE_REPLY, type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bodiesOf, type IngestReceiver, startIngestReceiver, testOptions } from '../test/ingest-receiver.js';
import { SwitchyardClient } from './client.js';
import { wrapOpenAI } from './wrap-openai.js';

let fake: FakeOpenAi;
let receiver: IngestReceiver;
let sdk: SwitchyardClient & { errors: unknown[] };
let plain: OpenAI;
let wrapped: OpenAI;
const messages = [{ role: 'user' as const, content: 'Say hello' }];

const openAiClient = () => new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0 });

/** The generations recorded so far (after a flush). */
async function generations() {
  await sdk.flush();
  return bodiesOf(receiver, 'observation-create').filter((observation) => observation.type === 'generation');
}

async function onlyGeneration() {
  const recorded = await generations();
  expect(recorded).toHaveLength(1);
  return recorded[0] as NonNullable<(typeof recorded)[0]>;
}

async function collect<TItem>(stream: AsyncIterable<TItem>): Promise<TItem[]> {
  const items: TItem[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('should have failed'),
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());

beforeEach(async () => {
  receiver = await startIngestReceiver();
  const options = testOptions(receiver);
  sdk = Object.assign(new SwitchyardClient(options), { errors: options.errors });
  plain = openAiClient();
  wrapped = wrapOpenAI(openAiClient(), { client: sdk });
});

afterEach(async () => {
  await sdk.shutdown();
  expect(sdk.errors).toEqual([]);
  await receiver.close();
});

describe('chat.completions.create', () => {
  it('returns what the plain client returns and records the generation', async () => {
    const expected = await plain.chat.completions.create({ model: 'gpt-test', messages, temperature: 0.2 });
    const promise = wrapped.chat.completions.create({ model: 'gpt-test', messages, temperature: 0.2 });
    expect(Object.getPrototypeOf(promise)).toBe(
      Object.getPrototypeOf(plain.chat.completions.create({ model: 'gpt-test', messages })),
    );
    expect(await promise).toEqual(expected);

    const generation = await onlyGeneration();
    expect(generation).toMatchObject({
      type: 'generation',
      name: 'openai.chat.completions.create',
      provider: 'openai',
      model: 'gpt-test-2026-01-01',
      status: 'success',
      input: messages,
      output: { role: 'assistant', content: FAKE_REPLY },
      usage: { inputTokens: 11, outputTokens: 5, cachedInputTokens: 3 },
      metadata: { parameters: { temperature: 0.2 }, finishReason: 'stop' },
    });
    expect(generation.completionStartTime).toBeUndefined();
    expect(generation.endTime && generation.endTime >= generation.startTime).toBe(true);
  });

  it('keeps withResponse() and asResponse() working', async () => {
    const expected = await plain.chat.completions.create({ model: 'gpt-test', messages });
    const { data, response } = await wrapped.chat.completions.create({ model: 'gpt-test', messages }).withResponse();
    expect(data).toEqual(expected);
    expect(response.status).toBe(200);
    // The body is the caller's to read: the wrapper has not consumed it.
    const raw = await wrapped.chat.completions.create({ model: 'gpt-test', messages }).asResponse();
    expect(await raw.json()).toEqual(expected);
    expect(await generations()).toHaveLength(1);
  });

  it('streams the same chunks, adds nothing to the request, and records output and first-token time', async () => {
    const expected = await collect(await plain.chat.completions.create({ model: 'gpt-test', messages, stream: true }));
    const chunks = await collect(await wrapped.chat.completions.create({ model: 'gpt-test', messages, stream: true }));
    expect(chunks).toEqual(expected);
    expect(fake.received.at(-1)?.body).toEqual({ model: 'gpt-test', messages, stream: true });

    const generation = await onlyGeneration();
    expect(generation).toMatchObject({
      model: 'gpt-test-2026-01-01',
      status: 'success',
      output: { role: 'assistant', content: FAKE_REPLY },
    });
    expect(generation.usage).toBeUndefined();
    const { startTime, completionStartTime, endTime } = generation;
    expect(completionStartTime && endTime && startTime <= completionStartTime && completionStartTime <= endTime).toBe(
      true,
    );
  });

  it('records streamed usage when the caller asked for it', async () => {
    const stream = await wrapped.chat.completions.create({
      model: 'gpt-test',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    await collect(stream);
    expect((await onlyGeneration()).usage).toEqual({ inputTokens: 11, outputTokens: 5, cachedInputTokens: 3 });
  });

  it('rebuilds streamed tool calls', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } }];
    await collect(await wrapped.chat.completions.create({ model: 'gpt-test', messages, tools, stream: true }));
    expect(await onlyGeneration()).toMatchObject({
      output: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_fake1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        ],
      },
      metadata: { tools: ['get_weather'], finishReason: 'tool_calls' },
    });
  });

  it('passes errors through unchanged and records them', async () => {
    const expected = await rejection(plain.chat.completions.create({ model: 'fail-400', messages }));
    const error = await rejection(wrapped.chat.completions.create({ model: 'fail-400', messages }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, message: (expected as Error).message });
    expect(await onlyGeneration()).toMatchObject({
      model: 'fail-400',
      status: 'error',
      level: 'ERROR',
      statusMessage: (expected as Error).message,
    });
  });

  it('passes a broken stream through and records what arrived before it broke', async () => {
    const stream = await wrapped.chat.completions.create({ model: 'cut-stream', messages, stream: true });
    const received: unknown[] = [];
    const error = await rejection(
      (async () => {
        for await (const chunk of stream) received.push(chunk);
      })(),
    );
    expect(error).toBeInstanceOf(Error);
    expect(received.length).toBeGreaterThan(0);
    expect(await onlyGeneration()).toMatchObject({ status: 'error', output: { content: 'Hello' } });
  });

  it('records a stream the caller stopped reading early', async () => {
    const stream = await wrapped.chat.completions.create({ model: 'gpt-test', messages, stream: true });
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) break;
    expect(await onlyGeneration()).toMatchObject({
      status: 'success',
      statusMessage: 'the caller stopped reading the stream before its end',
    });
  });

  it('records the helpers built on create(): chat.completions.stream()', async () => {
    const content = await wrapped.chat.completions.stream({ model: 'gpt-test', messages }).finalContent();
    expect(content).toBe(FAKE_REPLY);
    expect(await onlyGeneration()).toMatchObject({ output: { content: FAKE_REPLY } });
  });

  it('wraps a client once, however often it is wrapped', async () => {
    expect(wrapOpenAI(wrapped, { client: sdk })).toBe(wrapped);
    await wrapped.chat.completions.create({ model: 'gpt-test', messages });
    expect(await generations()).toHaveLength(1);
  });
});

describe('embeddings.create', () => {
  it('returns what the plain client returns and records model, input and usage, not the vectors', async () => {
    const input = ['first', 'second'];
    const expected = await plain.embeddings.create({ model: 'text-embedding-3-small', input });
    expect(await wrapped.embeddings.create({ model: 'text-embedding-3-small', input })).toEqual(expected);
    expect(await onlyGeneration()).toMatchObject({
      name: 'openai.embeddings.create',
      model: 'text-embedding-3-small',
      input,
      output: { embeddings: 2 },
      usage: { inputTokens: 4, outputTokens: 0 },
    });
  });
});
