import { gzipSync } from 'node:zlib';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { traceDetailSchema } from '@switchyard/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKey,
  createTestApp,
  type SessionClient,
  setPlan,
  signUp,
  type TestContext,
} from '../../../test/test-app.js';
import { usageRollups } from '../../db/telemetry-schema.js';

let context_: TestContext;
let owner: SessionClient;
let orgId: string;
let serverUrl: string;
let secret: string;

beforeAll(async () => {
  context_ = await createTestApp();
  serverUrl = await context_.app.listen({ port: 0, host: '127.0.0.1' });
  const signedUp = await signUp(context_.app);
  owner = signedUp.client;
  orgId = signedUp.orgId;
  await setPlan(context_.app, orgId, 'enterprise');
  ({ secret } = await createKey(owner, { scopes: ['ingest'] }));
});
afterAll(async () => context_?.close());

let traceCounter = 0;

/** An agent run with a chat generation (GenAI conventions) and a failed tool call, as finished spans. */
function recordAgentRun(): { spans: ReadableSpan[]; traceId: string } {
  const memory = new InMemorySpanExporter();
  traceCounter += 1;
  let spanCounter = 0;
  const traceId = `${'c'.repeat(24)}${traceCounter.toString(16).padStart(8, '0')}`;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'otel-route-test' }),
    idGenerator: {
      generateTraceId: () => traceId,
      generateSpanId: () =>
        `${traceCounter.toString(16).padStart(8, '0')}${(++spanCounter).toString(16).padStart(8, '0')}`,
    },
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer('test');
  const start = Date.now() - 5_000;
  const agent = tracer.startSpan('invoke_agent planner', {
    startTime: start,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'session.id': 'otel-session', 'user.id': 'grace' },
  });
  const inAgent = trace.setSpan(context.active(), agent);
  const chat = tracer.startSpan(
    'chat gpt-4o-mini',
    {
      startTime: start + 10,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 1_000_000,
        'gen_ai.usage.output_tokens': 1_000_000,
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Plan Paris' }] }]),
      },
    },
    inAgent,
  );
  chat.end(start + 1_210);
  const tool = tracer.startSpan(
    'execute_tool get_weather',
    {
      startTime: start + 1_300,
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather' },
    },
    inAgent,
  );
  tool.setStatus({ code: SpanStatusCode.ERROR, message: 'weather service down' });
  tool.end(start + 1_400);
  agent.end(start + 2_000);
  return { spans: memory.getFinishedSpans() as ReadableSpan[], traceId };
}

async function otelRequests(): Promise<number> {
  const rows = await context_.backends.database.db
    .select()
    .from(usageRollups)
    .where(and(eq(usageRollups.orgId, orgId), eq(usageRollups.source, 'otel')));
  return rows.reduce((sum, row) => sum + row.requests, 0);
}

type Exporter = { export(spans: ReadableSpan[], done: (result: { code: number; error?: Error }) => void): void };

function exportWith(exporter: Exporter, spans: ReadableSpan[]): Promise<{ code: number; error?: Error }> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

const exporters = {
  'JSON (exporter-trace-otlp-http)': (key: string) =>
    new JsonTraceExporter({ url: `${serverUrl}/otel/v1/traces`, headers: { Authorization: `Bearer ${key}` } }),
  'protobuf, gzip (exporter-trace-otlp-proto)': (key: string) =>
    new ProtobufTraceExporter({
      url: `${serverUrl}/otel/v1/traces`,
      headers: { Authorization: `Bearer ${key}` },
      compression: 'gzip' as never,
    }),
};

describe.each(Object.entries(exporters))('POST /otel/v1/traces with the official %s exporter', (_name, make) => {
  it('stores the spans as a trace of observations, costed from the price table, and a retry changes nothing', async () => {
    const { spans, traceId } = recordAgentRun();
    const exporter = make(secret);
    const requestsBefore = await otelRequests();
    expect(await exportWith(exporter, spans)).toMatchObject({ code: 0 });

    const response = await owner.request('GET', `/api/traces/${traceId}`);
    expect(response.statusCode).toBe(200);
    const stored = traceDetailSchema.parse(response.json());
    expect(stored).toMatchObject({
      name: 'invoke_agent planner',
      sessionId: 'otel-session',
      userId: 'grace',
      status: 'error',
    });
    const byName = Object.fromEntries(stored.observations.map((observation) => [observation.name, observation]));
    const agent = byName['invoke_agent planner'];
    expect(agent).toMatchObject({ type: 'agent', parentId: null, source: 'otel', latencyMs: 2_000 });
    expect(byName['chat gpt-4o-mini']).toMatchObject({
      type: 'generation',
      parentId: agent?.id,
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      costUsd: 0.75,
      latencyMs: 1_200,
    });
    expect(byName.get_weather ?? byName['execute_tool get_weather']).toMatchObject({
      type: 'tool',
      status: 'error',
      error: 'weather service down',
    });

    // The exporter retries an export it did not see answered: the same spans again.
    expect(await exportWith(exporter, spans)).toMatchObject({ code: 0 });
    const again = traceDetailSchema.parse((await owner.request('GET', `/api/traces/${traceId}`)).json());
    expect(again.observations).toHaveLength(3);
    // Only the chat is a model call; the agent and tool spans are not counted, and the retry is not either.
    expect((await otelRequests()) - requestsBefore).toBe(1);
    await exporter.shutdown();
  });

  it('is refused without a key that has the ingest scope', async () => {
    const { secret: gatewayOnly } = await createKey(owner, { scopes: ['gateway'] });
    const exporter = make(gatewayOnly);
    const result = await exportWith(exporter, recordAgentRun().spans);
    expect(result.code).toBe(1);
    expect(String(result.error?.message)).toMatch(/403|Forbidden|ingest/i);
    await exporter.shutdown();
  });
});

describe('POST /otel/v1/traces, partial success', () => {
  it('stores the usable spans and reports the others as rejected, in the OTLP response', async () => {
    const start = BigInt(Date.now() - 1_000) * 1_000_000n;
    const span = (spanId: string, startTimeUnixNano: string) => ({
      traceId: 'd'.repeat(32),
      spanId,
      name: `span ${spanId}`,
      kind: 1,
      startTimeUnixNano,
      endTimeUnixNano: String(start + 1_000_000n),
      attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'execute_tool' } }],
    });
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [] },
          scopeSpans: [
            {
              scope: { name: 'test' },
              spans: [span('00000000000000aa', String(start)), span('00000000000000bb', '0')],
            },
          ],
        },
      ],
    };
    const response = await context_.app.inject({
      method: 'POST',
      url: '/otel/v1/traces',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      payload: body,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      partialSuccess: { rejectedSpans: '1', errorMessage: expect.stringContaining('00000000000000bb') },
    });
    const stored = traceDetailSchema.parse((await owner.request('GET', `/api/traces/${'d'.repeat(32)}`)).json());
    expect(stored.observations.map((observation) => observation.id)).toEqual(['00000000000000aa']);
  });
});

describe('POST /otel/v1/traces, bad input', () => {
  const post = (body: Buffer | string, headers: Record<string, string>) =>
    context_.app.inject({
      method: 'POST',
      url: '/otel/v1/traces',
      headers: { authorization: `Bearer ${secret}`, ...headers },
      payload: body,
    });

  it('answers 400 naming the problem for a malformed protobuf body', async () => {
    // Field 1, length-delimited, claiming 100 bytes that are not there.
    const response = await post(Buffer.from([0x0a, 0x64, 0x01]), { 'content-type': 'application/x-protobuf' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/resourceSpans|length|end/i);
  });

  it('answers 400 naming the field for a JSON body of the wrong shape', async () => {
    const response = await post(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 42 }] }] }] }), {
      'content-type': 'application/json',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/traceId/);
  });

  it('answers 415 for another content type and 413 for an export over 5 MB once inflated', async () => {
    expect((await post('spans', { 'content-type': 'text/plain' })).statusCode).toBe(415);
    const bomb = gzipSync(Buffer.alloc(6 * 1024 * 1024, 0x20));
    const response = await post(bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toMatch(/5 MB/);
  });
});
