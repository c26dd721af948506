import { context, type Tracer, trace } from '@opentelemetry/api';
import type { ObservationCreateBody } from '@switchyard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, OtlpCaptureServer } from './otlp-capture-server.js';
import { spansToIngestEvents } from './span-mapping.js';

// The spans the Vercel AI SDK records for `streamText` with a tool, sent by the official exporter.

let server: OtlpCaptureServer;
beforeAll(async () => {
  server = await OtlpCaptureServer.start();
});
afterAll(() => server.close());

describe('Vercel AI SDK spans from the official exporters', () => {
  it('maps a Vercel AI SDK streamText call sent as gzipped protobuf, counting tokens once', async () => {
    const { requests, spans } = await server.exportSpans({
      encoding: 'protobuf',
      gzip: true,
      batch: true,
      record: recordVercelStreamText,
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers['content-type']).toBe('application/x-protobuf');
    expect(requests[0]?.headers['content-encoding']).toBe('gzip');
    const { events, rejected } = spansToIngestEvents(spans);
    expect(rejected).toEqual({ count: 0, message: '' });

    const observations = observationsByName(events);
    const outer = observations.get('ai.streamText');
    const call = observations.get('ai.streamText.doStream');
    const tool = observations.get('weather');
    expect(outer).toMatchObject({ type: 'span', parentId: null, input: { prompt: 'Weather in Paris?' } });
    expect(outer?.usage).toBeUndefined();
    expect(call).toMatchObject({
      type: 'generation',
      parentId: outer?.id,
      provider: 'anthropic',
      model: 'claude-3-5-haiku-20241022',
      usage: { inputTokens: 50, outputTokens: 12, cachedInputTokens: 10 },
      completionStartTime: at(150).toISOString(),
      input: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] }],
      output: { text: 'Let me check.', toolCalls: [{ toolCallId: 'call_9', toolName: 'weather' }] },
    });
    expect(tool).toMatchObject({ type: 'tool', parentId: call?.id, input: { city: 'Paris' }, output: { sunny: true } });
    const totalInputTokens = [...observations.values()].reduce((sum, body) => sum + (body.usage?.inputTokens ?? 0), 0);
    expect(totalInputTokens).toBe(50);

    const traceCreates = events.filter((event) => event.type === 'trace-create');
    // Every span naming the session adds it to the trace; the root span describes the trace.
    expect(traceCreates.map((event) => event.id).sort()).toEqual(
      [outer, call, tool].map((body) => `otel-trace:${body?.traceId}:${body?.id}`).sort(),
    );
    expect(traceCreates.find((event) => event.id === `otel-trace:${outer?.traceId}:${outer?.id}`)?.body).toMatchObject({
      id: outer?.traceId,
      name: 'my-chat',
      sessionId: 'sess-v',
      userId: 'u-v',
      tags: ['beta', 'eu'],
      input: { prompt: 'Weather in Paris?' },
      output: 'Let me check.',
    });
    expect(outer?.metadata).toMatchObject({ attributes: { 'ai.telemetry.metadata.plan': 'pro' } });
    expect(JSON.stringify(events)).not.toContain('secret-provider-key');
  });

  it('maps generateObject (SDK v4 names) and embedMany sent as OTLP/JSON', async () => {
    const { spans } = await server.exportSpans({ encoding: 'json', batch: true, record: recordObjectAndEmbeddings });
    const { events, rejected } = spansToIngestEvents(spans);
    expect(rejected.count).toBe(0);
    const observations = observationsByName(events);
    expect(observations.get('ai.generateObject')).toMatchObject({ type: 'span' });
    expect(observations.get('ai.generateObject.doGenerate')).toMatchObject({
      type: 'generation',
      provider: 'gemini',
      model: 'gemini-2.5-flash',
      usage: { inputTokens: 30, outputTokens: 9 },
      output: { city: 'Paris', days: 2 },
    });
    const embedding = observations.get('ai.embedMany.doEmbed');
    expect(embedding).toMatchObject({
      type: 'generation',
      provider: 'openai',
      model: 'text-embedding-3-small',
      usage: { inputTokens: 8 },
      input: ['sunny', 'rainy'],
    });
    expect(JSON.stringify(embedding)).not.toContain('0.0123');
  });
});

function recordObjectAndEmbeddings(tracer: Tracer): void {
  const google = { 'ai.model.provider': 'google.generative-ai', 'ai.model.id': 'gemini-2.5-flash' };
  const outer = tracer.startSpan('ai.generateObject', {
    startTime: at(0),
    attributes: { ...google, 'ai.operationId': 'ai.generateObject', 'ai.usage.promptTokens': 30 },
  });
  tracer
    .startSpan(
      'ai.generateObject.doGenerate',
      {
        startTime: at(1),
        attributes: {
          ...google,
          'ai.operationId': 'ai.generateObject.doGenerate',
          'ai.usage.promptTokens': 30,
          'ai.usage.completionTokens': 9,
          'ai.response.object': '{"city":"Paris","days":2}',
        },
      },
      trace.setSpan(context.active(), outer),
    )
    .end(at(300));
  outer.end(at(310));
  tracer
    .startSpan('ai.embedMany.doEmbed', {
      startTime: at(400),
      attributes: {
        'ai.operationId': 'ai.embedMany.doEmbed',
        'ai.model.provider': 'openai.embedding',
        'ai.model.id': 'text-embedding-3-small',
        'ai.values': ['sunny', 'rainy'],
        'ai.embeddings': ['[0.0123,0.5]', '[0.0123,0.7]'],
        'ai.usage.tokens': 8,
      },
    })
    .end(at(450));
}

/** A Vercel AI SDK `streamText` with a tool, attributes as the SDK records them. */
function recordVercelStreamText(tracer: Tracer): void {
  const model = { 'ai.model.provider': 'anthropic.messages', 'ai.model.id': 'claude-3-5-haiku-latest' };
  const telemetry = {
    'ai.telemetry.functionId': 'my-chat',
    'ai.telemetry.metadata.sessionId': 'sess-v',
    'ai.telemetry.metadata.userId': 'u-v',
    'ai.telemetry.metadata.tags': ['beta', 'eu'],
    'ai.telemetry.metadata.plan': 'pro',
  };
  const outer = tracer.startSpan('ai.streamText', {
    startTime: at(0),
    attributes: {
      ...model,
      ...telemetry,
      'operation.name': 'ai.streamText my-chat',
      'ai.operationId': 'ai.streamText',
      'ai.prompt': JSON.stringify({ prompt: 'Weather in Paris?' }),
      'ai.response.text': 'Let me check.',
      'ai.usage.inputTokens': 50,
      'ai.usage.outputTokens': 12,
    },
  });
  const call = tracer.startSpan(
    'ai.streamText.doStream',
    {
      startTime: at(5),
      attributes: {
        ...model,
        ...telemetry,
        'ai.operationId': 'ai.streamText.doStream',
        'ai.request.headers.x-api-key': 'secret-provider-key',
        'ai.prompt.messages': JSON.stringify([
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
        ]),
        'ai.response.text': 'Let me check.',
        'ai.response.toolCalls': JSON.stringify([{ toolCallId: 'call_9', toolName: 'weather' }]),
        'ai.response.model': 'claude-3-5-haiku-20241022',
        'ai.response.msToFirstChunk': 145,
        'ai.usage.inputTokens': 50,
        'ai.usage.outputTokens': 12,
        'ai.usage.cachedInputTokens': 10,
        'gen_ai.system': 'anthropic.messages',
        'gen_ai.request.model': 'claude-3-5-haiku-latest',
        'gen_ai.response.model': 'claude-3-5-haiku-20241022',
        'gen_ai.usage.input_tokens': 50,
        'gen_ai.usage.output_tokens': 12,
      },
    },
    trace.setSpan(context.active(), outer),
  );
  call.addEvent('ai.stream.firstChunk', { 'ai.response.msToFirstChunk': 145 }, at(150));
  const tool = tracer.startSpan(
    'ai.toolCall',
    {
      startTime: at(400),
      attributes: {
        ...telemetry,
        'ai.operationId': 'ai.toolCall',
        'ai.toolCall.name': 'weather',
        'ai.toolCall.id': 'call_9',
        'ai.toolCall.args': '{"city":"Paris"}',
        'ai.toolCall.result': '{"sunny":true}',
      },
    },
    trace.setSpan(context.active(), call),
  );
  tool.end(at(420));
  call.end(at(430));
  outer.end(at(450));
}

function observationsByName(
  events: ReturnType<typeof spansToIngestEvents>['events'],
): Map<string, ObservationCreateBody> {
  const observations = new Map<string, ObservationCreateBody>();
  for (const event of events) {
    if (event.type === 'observation-create') observations.set(event.body.name ?? '', event.body);
  }
  return observations;
}
