import { INGEST_LIMITS, type IngestEvent, type ObservationCreateBody } from '@switchyard/shared';
import { describe, expect, it } from 'vitest';
import type { Attributes, OtlpSpan } from './otlp-span.js';
import { spansToIngestEvents } from './span-mapping.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const START = 1_773_478_800_000_000_000n; // 2026-03-14T09:00:00.000Z

function span(overrides: Partial<OtlpSpan> = {}): OtlpSpan {
  return {
    traceId: TRACE_ID,
    spanId: 'eee19b7ec3c1b174',
    parentSpanId: '00f067aa0ba902b7',
    name: 'operation',
    kind: 1,
    startTimeUnixNano: START,
    endTimeUnixNano: START + 2_000_000_000n,
    attributes: {},
    events: [],
    status: { code: 0 },
    resource: { 'service.name': 'checkout' },
    scope: { name: 'instrumentation' },
    ...overrides,
  };
}

function observationOf(attributes: Attributes, overrides: Partial<OtlpSpan> = {}): ObservationCreateBody {
  const { events, rejected } = spansToIngestEvents([span({ attributes, ...overrides })]);
  expect(rejected.count).toBe(0);
  const observation = events.find((event) => event.type === 'observation-create');
  if (observation?.type !== 'observation-create') throw new Error('no observation-create');
  return observation.body;
}

const traceCreates = (events: IngestEvent[]) => events.filter((event) => event.type === 'trace-create');

describe('spansToIngestEvents: observation type', () => {
  it.each([
    [{ 'gen_ai.operation.name': 'chat' }, 'generation'],
    [{ 'gen_ai.operation.name': 'text_completion' }, 'generation'],
    [{ 'gen_ai.operation.name': 'generate_content' }, 'generation'],
    [{ 'gen_ai.operation.name': 'embeddings' }, 'generation'],
    [{ 'gen_ai.operation.name': 'execute_tool' }, 'tool'],
    [{ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.request.model': 'gpt-4o' }, 'agent'],
    [{ 'gen_ai.operation.name': 'create_agent' }, 'agent'],
    [{ 'gen_ai.operation.name': 'retrieval' }, 'retrieval'],
    [{ 'gen_ai.operation.name': 'invoke_workflow' }, 'span'],
    [{ 'gen_ai.request.model': 'gpt-4o' }, 'generation'],
    [{ 'gen_ai.response.model': 'gpt-4o' }, 'generation'],
    [{ 'ai.operationId': 'ai.generateText.doGenerate' }, 'generation'],
    [{ 'ai.operationId': 'ai.streamText.doStream' }, 'generation'],
    [{ 'ai.operationId': 'ai.generateObject.doGenerate' }, 'generation'],
    [{ 'ai.operationId': 'ai.streamObject.doStream' }, 'generation'],
    [{ 'ai.operationId': 'ai.embed.doEmbed' }, 'generation'],
    [{ 'ai.operationId': 'ai.embedMany.doEmbed' }, 'generation'],
    [{ 'ai.operationId': 'ai.generateText', 'ai.model.id': 'gpt-4o', 'gen_ai.request.model': 'gpt-4o' }, 'span'],
    [{ 'ai.operationId': 'ai.toolCall' }, 'tool'],
    [{ 'http.method': 'POST' }, 'span'],
  ] as [Attributes, string][])('%o is a %s', (attributes, type) => {
    expect(observationOf(attributes).type).toBe(type);
  });
});

describe('spansToIngestEvents: model calls', () => {
  it('prefers gen_ai.provider.name, then gen_ai.system, then ai.model.provider, and the response model', () => {
    expect(
      observationOf({
        'gen_ai.provider.name': 'gcp.vertex_ai',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gemini-2.5-flash',
        'gen_ai.response.model': 'gemini-2.5-flash-001',
      }),
    ).toMatchObject({ provider: 'gemini', model: 'gemini-2.5-flash-001' });
    expect(observationOf({ 'gen_ai.system': 'openai.responses', 'ai.model.id': 'gpt-4.1' })).toMatchObject({
      provider: 'openai',
      model: 'gpt-4.1',
    });
    expect(
      observationOf({ 'ai.operationId': 'ai.generateText.doGenerate', 'ai.model.provider': 'google.generative-ai' }),
    ).toMatchObject({ provider: 'gemini' });
  });

  it('reads older and Vercel AI SDK token names, rounding and ignoring nonsense', () => {
    expect(
      observationOf({
        'gen_ai.request.model': 'm',
        'gen_ai.usage.prompt_tokens': 11,
        'gen_ai.usage.completion_tokens': 4.6,
        'gen_ai.usage.cache_read_input_tokens': 3,
      }).usage,
    ).toEqual({ inputTokens: 11, outputTokens: 5, cachedInputTokens: 3 });
    expect(
      observationOf({
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.usage.promptTokens': 7,
        'ai.usage.completionTokens': -1,
      }).usage,
    ).toEqual({ inputTokens: 7 });
    expect(observationOf({ 'ai.operationId': 'ai.embedMany.doEmbed', 'ai.usage.tokens': 8 }).usage).toEqual({
      inputTokens: 8,
    });
    expect(observationOf({ 'gen_ai.request.model': 'm', 'gen_ai.usage.input_tokens': 1e12 }).usage).toEqual({
      inputTokens: 2 ** 31 - 1,
    });
  });

  it('leaves usage on other spans in the metadata, so parents do not count their children again', () => {
    const agent = observationOf({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.usage.input_tokens': 500 });
    expect(agent.usage).toBeUndefined();
    expect(agent.metadata).toMatchObject({ attributes: { 'gen_ai.usage.input_tokens': 500 } });
  });

  it('takes a cost only from the span, leaving pricing to the server otherwise', () => {
    expect(observationOf({ 'gen_ai.request.model': 'm', 'gen_ai.usage.cost': 0.0042 }).costUsd).toBe(0.0042);
    expect(observationOf({ 'gen_ai.request.model': 'm', 'gen_ai.usage.cost': -1 })).not.toHaveProperty('costUsd');
  });

  it('sets the first-chunk time from the Vercel event when no attribute gives it', () => {
    const observation = observationOf(
      { 'ai.operationId': 'ai.streamText.doStream' },
      { events: [{ name: 'ai.stream.firstChunk', timeUnixNano: START + 320_000_000n, attributes: {} }] },
    );
    expect(observation.completionStartTime).toBe('2026-03-14T09:00:00.320Z');
    expect(observation.metadata).not.toHaveProperty('events');
  });
});

describe('spansToIngestEvents: input and output', () => {
  it('reads the older prompt and completion attributes, keeping text that is not JSON', () => {
    expect(
      observationOf({
        'gen_ai.request.model': 'm',
        'gen_ai.prompt': 'Say hi',
        'gen_ai.completion': '[{"role":"assistant"}]',
      }),
    ).toMatchObject({ input: 'Say hi', output: [{ role: 'assistant' }] });
  });

  it('reads the conversation from older GenAI span events', () => {
    const observation = observationOf(
      { 'gen_ai.request.model': 'm' },
      {
        events: [
          { name: 'gen_ai.system.message', timeUnixNano: START, attributes: { content: 'Be brief.' } },
          {
            name: 'gen_ai.user.message',
            timeUnixNano: START,
            attributes: { content: 'Hi', 'gen_ai.system': 'openai' },
          },
          {
            name: 'gen_ai.choice',
            timeUnixNano: START,
            attributes: { index: 0, finish_reason: 'stop', message: '{"role":"assistant","content":"Hello"}' },
          },
        ],
      },
    );
    expect(observation.input).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(observation.output).toEqual({
      index: 0,
      finish_reason: 'stop',
      message: { role: 'assistant', content: 'Hello' },
    });
  });

  it('reads retrieval queries and documents, and Vercel objects', () => {
    expect(
      observationOf({
        'gen_ai.operation.name': 'retrieval',
        'gen_ai.retrieval.query.text': 'refund policy',
        'gen_ai.retrieval.documents': '[{"id":"doc-1","score":0.9}]',
      }),
    ).toMatchObject({ type: 'retrieval', input: 'refund policy', output: [{ id: 'doc-1', score: 0.9 }] });
    expect(
      observationOf({ 'ai.operationId': 'ai.generateObject.doGenerate', 'ai.response.object': '{"city":"Paris"}' })
        .output,
    ).toEqual({ city: 'Paris' });
  });

  it('truncates content too large for one event, keeping the event valid', () => {
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const { events, rejected } = spansToIngestEvents([
      span({
        parentSpanId: undefined,
        attributes: { 'gen_ai.request.model': 'm', 'gen_ai.prompt': huge, 'gen_ai.completion': huge },
      }),
    ]);
    expect(rejected.count).toBe(0);
    for (const event of events) {
      expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(INGEST_LIMITS.eventBytes);
    }
    const observation = events.find((event) => event.type === 'observation-create')?.body as ObservationCreateBody;
    expect(observation.input).toMatch(/^x+… \[truncated from 2097154 bytes\]$/);
  });
});

describe('spansToIngestEvents: status and metadata', () => {
  it('marks an error span, with the status message or else the exception message', () => {
    const exception = { name: 'exception', timeUnixNano: START, attributes: { 'exception.message': 'socket hang up' } };
    expect(observationOf({}, { status: { code: 2, message: 'upstream 503' }, events: [exception] })).toMatchObject({
      status: 'error',
      level: 'ERROR',
      statusMessage: 'upstream 503',
    });
    const failed = observationOf({}, { status: { code: 2 }, events: [exception] });
    expect(failed.statusMessage).toBe('socket hang up');
    expect(failed.metadata).toMatchObject({ events: [{ name: 'exception', time: '2026-03-14T09:00:00.000Z' }] });
    expect(observationOf({}, { status: { code: 1 } })).toMatchObject({ status: 'success' });
    expect(observationOf({}, { status: { code: 1 } })).not.toHaveProperty('level');
  });

  it('keeps unmapped attributes bounded, with bytes as base64 and credentials dropped', () => {
    const attributes: Attributes = { raw: Uint8Array.from([1, 2, 255]), long: 'y'.repeat(20_000) };
    for (let index = 0; index < 150; index++) attributes[`custom.${index}`] = index;
    attributes['ai.request.headers.authorization'] = 'Bearer secret';
    const metadata = observationOf(attributes).metadata as { attributes: Record<string, unknown>; resource: unknown };
    expect(metadata.attributes.raw).toBe('AQL/');
    expect(String(metadata.attributes.long).length).toBeLessThan(8_300);
    expect(Object.keys(metadata.attributes)).toHaveLength(101);
    expect(metadata.attributes['switchyard.droppedAttributes']).toBe(52);
    expect(metadata.resource).toEqual({ 'service.name': 'checkout' });
    expect(JSON.stringify(metadata)).not.toContain('Bearer secret');
  });
});

describe('spansToIngestEvents: traces and envelopes', () => {
  it('creates the trace from a root span, named after the span, with deterministic envelope ids', () => {
    const root = span({ parentSpanId: undefined, name: 'POST /chat', endTimeUnixNano: 0n });
    const first = spansToIngestEvents([root]);
    expect(first.events.map((event) => [event.type, event.id, event.timestamp])).toEqual([
      ['trace-create', `otel-trace:${TRACE_ID}:eee19b7ec3c1b174`, '2026-03-14T09:00:00.000Z'],
      ['observation-create', `otel:${TRACE_ID}:eee19b7ec3c1b174`, '2026-03-14T09:00:00.000Z'],
    ]);
    expect(traceCreates(first.events)[0]?.body).toMatchObject({ id: TRACE_ID, name: 'POST /chat' });
    expect(spansToIngestEvents([root])).toEqual(first);
  });

  it('adds session, user and tags named on a child span to its trace', () => {
    const { events } = spansToIngestEvents([
      span({
        attributes: {
          'langfuse.session.id': 'chat-42',
          'enduser.id': 'alice',
          'langfuse.trace.tags': 'beta, eu',
          'gen_ai.conversation.id': 'conversation-1',
        },
      }),
    ]);
    expect(traceCreates(events).map((event) => event.body)).toEqual([
      { id: TRACE_ID, sessionId: 'chat-42', userId: 'alice', tags: ['beta', 'eu'] },
    ]);
    expect(traceCreates(events)[0]?.timestamp).toBe('2026-03-14T09:00:00.000Z');
    expect(spansToIngestEvents([span({ attributes: { 'gen_ai.operation.name': 'chat' } })]).events).toHaveLength(1);
  });

  it('counts spans that cannot map, names them, and maps the rest', () => {
    const { events, rejected } = spansToIngestEvents([
      span({ traceId: 'abc', spanId: '1111111111111111' }),
      span({ spanId: '0000000000000000' }),
      span({ spanId: '2222222222222222', startTimeUnixNano: 0n }),
      span({ spanId: '3333333333333333', parentSpanId: 'abc' }),
      span({ spanId: '4444444444444444' }),
    ]);
    expect(rejected.count).toBe(4);
    expect(rejected.message).toBe(
      [
        'span 1111111111111111: traceId must be 16 non-zero bytes, got "abc"',
        'span 0000000000000000: spanId must be 8 non-zero bytes, got "0000000000000000"',
        'span 2222222222222222: startTimeUnixNano is missing or out of range',
        'span 3333333333333333: parentSpanId must be 8 bytes, got "abc"',
      ].join('; '),
    );
    expect(events.map((event) => event.id)).toEqual([`otel:${TRACE_ID}:4444444444444444`]);
  });

  it('says how many more were rejected than it names', () => {
    const { rejected } = spansToIngestEvents(new Array(8).fill(span({ traceId: '' })));
    expect(rejected.count).toBe(8);
    expect(rejected.message.endsWith('; and 3 more')).toBe(true);
  });
});
