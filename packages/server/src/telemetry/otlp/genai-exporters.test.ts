import { context, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { IngestEvent, ObservationCreateBody } from '@switchyard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, OtlpCaptureServer, TEST_API_KEY } from './otlp-capture-server.js';
import { spansToIngestEvents } from './span-mapping.js';

// An agent instrumented per the OpenTelemetry GenAI conventions, sent by the official exporters.

let server: OtlpCaptureServer;
beforeAll(async () => {
  server = await OtlpCaptureServer.start();
});
afterAll(() => server.close());

/** An agent run per the OpenTelemetry GenAI conventions: a chat, a tool call, a failed chat. */
function recordGenAiAgent(tracer: Tracer): void {
  const agent = tracer.startSpan(
    'invoke_agent travel-planner',
    {
      startTime: at(0),
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'travel-planner',
        'gen_ai.provider.name': 'openai',
        'session.id': 'session-1',
        'user.id': 'user-7',
      },
    },
    context.active(),
  );
  const inAgent = trace.setSpan(context.active(), agent);
  const chat = tracer.startSpan(
    'chat gpt-4o-mini',
    {
      startTime: at(10),
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 45,
        'gen_ai.usage.cache_read.input_tokens': 20,
        'gen_ai.response.time_to_first_chunk': 0.25,
        'gen_ai.response.finish_reasons': ['tool_calls'],
        'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You plan trips.' }]),
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Paris?' }] }]),
        'gen_ai.output.messages': JSON.stringify([
          { role: 'assistant', parts: [{ type: 'tool_call', name: 'get_weather', arguments: { city: 'Paris' } }] },
        ]),
      },
    },
    inAgent,
  );
  chat.end(at(900));
  const tool = tracer.startSpan(
    'execute_tool get_weather',
    {
      startTime: at(910),
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_weather',
        'gen_ai.tool.call.id': 'call_1',
        'gen_ai.tool.call.arguments': '{"city":"Paris"}',
        'gen_ai.tool.call.result': '{"temperatureC":21}',
      },
    },
    inAgent,
  );
  tool.end(at(950));
  const failed = tracer.startSpan(
    'chat claude',
    {
      startTime: at(960),
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'anthropic',
        'gen_ai.request.model': 'claude-3-5-haiku-latest',
        'gen_ai.usage.prompt_tokens': 30,
      },
    },
    inAgent,
  );
  failed.recordException(
    { name: 'RateLimitError', message: '429 rate limited', stack: 'at chat (app.ts:1:1)' },
    at(990),
  );
  failed.setStatus({ code: SpanStatusCode.ERROR });
  failed.end(at(1_000));
  agent.end(at(1_100));
}

describe('GenAI spans from the official exporters', () => {
  it('maps a GenAI agent run sent as OTLP/JSON', async () => {
    const { requests, spans } = await server.exportSpans({ encoding: 'json', record: recordGenAiAgent });
    expect(requests[0]?.headers['content-type']).toBe('application/json');
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    const { events, rejected } = spansToIngestEvents(spans);
    expect(rejected.count).toBe(0);

    const observations = observationsByName(events);
    const agent = observations.get('invoke_agent travel-planner');
    const chat = observations.get('chat gpt-4o-mini');
    const tool = observations.get('get_weather');
    const failed = observations.get('chat claude');
    expect(agent).toMatchObject({ type: 'agent', parentId: null, startTime: at(0).toISOString() });
    expect(chat).toMatchObject({
      type: 'generation',
      traceId: agent?.traceId,
      parentId: agent?.id,
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      usage: { inputTokens: 120, outputTokens: 45, cachedInputTokens: 20 },
      startTime: at(10).toISOString(),
      endTime: at(900).toISOString(),
      completionStartTime: at(260).toISOString(),
      status: 'success',
      input: [
        { role: 'system', parts: [{ type: 'text', content: 'You plan trips.' }] },
        { role: 'user', parts: [{ type: 'text', content: 'Paris?' }] },
      ],
      output: [
        { role: 'assistant', parts: [{ type: 'tool_call', name: 'get_weather', arguments: { city: 'Paris' } }] },
      ],
    });
    expect(chat?.costUsd).toBeUndefined();
    expect(chat?.metadata).toMatchObject({
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.response.finish_reasons': ['tool_calls'] },
      resource: { 'service.name': 'travel-app' },
      scope: { name: 'travel-app-instrumentation', version: '1.2.3' },
    });
    expect(JSON.stringify(chat?.metadata)).not.toContain('gen_ai.usage.input_tokens');
    expect(tool).toMatchObject({
      type: 'tool',
      parentId: agent?.id,
      input: { city: 'Paris' },
      output: { temperatureC: 21 },
    });
    expect(failed).toMatchObject({
      type: 'generation',
      provider: 'anthropic',
      model: 'claude-3-5-haiku-latest',
      usage: { inputTokens: 30 },
      status: 'error',
      level: 'ERROR',
      statusMessage: '429 rate limited',
    });

    const traces = events.filter((event) => event.type === 'trace-create');
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({
      id: `otel-trace:${agent?.traceId}:${agent?.id}`,
      timestamp: at(1_100).toISOString(),
      body: {
        id: agent?.traceId,
        name: 'invoke_agent travel-planner',
        sessionId: 'session-1',
        userId: 'user-7',
        startTime: at(0).toISOString(),
        endTime: at(1_100).toISOString(),
      },
    });
    const chatEnvelope = events.find((event) => event.type === 'observation-create' && event.body.id === chat?.id);
    expect(chatEnvelope).toMatchObject({ id: `otel:${chat?.traceId}:${chat?.id}`, timestamp: at(900).toISOString() });
  });

  it('decodes the same spans identically from JSON and from protobuf', async () => {
    const fromJson = await server.exportSpans({ encoding: 'json', batch: true, record: recordGenAiAgent });
    const fromProtobuf = await server.exportSpans({ encoding: 'protobuf', batch: true, record: recordGenAiAgent });
    expect(fromJson.spans).toHaveLength(4);
    expect(fromProtobuf.spans).toEqual(fromJson.spans);
    expect(spansToIngestEvents(fromProtobuf.spans)).toEqual(spansToIngestEvents(fromJson.spans));
  });

  it('reads gzipped JSON', async () => {
    const { requests, spans } = await server.exportSpans({ encoding: 'json', gzip: true, record: recordGenAiAgent });
    expect(requests[0]?.headers['content-encoding']).toBe('gzip');
    expect(spans.map((span) => span.name)).toContain('chat gpt-4o-mini');
  });
});

function observationsByName(events: IngestEvent[]): Map<string, ObservationCreateBody> {
  const observations = new Map<string, ObservationCreateBody>();
  for (const event of events) {
    if (event.type === 'observation-create') observations.set(event.body.name ?? '', event.body);
  }
  return observations;
}
