import { context as otelContext, type Span, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { type MetricValues, metricsResponseSchema, traceDetailSchema } from '@switchyard/shared';
import { FAKE_USAGE, type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayFixture, startGatewayFixture } from './gateway-fixture.js';
import { createKey } from './test-app.js';

/**
 * An app that traces with OpenTelemetry (exporting to /otel/v1/traces) and calls its model through
 * the gateway, which gets the calling span in `traceparent`: one trace, the gateway's record a child
 * of that span, and the call's tokens and cost counted once although both describe it.
 */
let upstream: FakeOpenAi;
let fixture: GatewayFixture;
let ingestKey: string;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  fixture = await startGatewayFixture({ OPENAI_API_KEY: upstream.apiKey, OPENAI_BASE_URL: upstream.baseUrl });
  ({ secret: ingestKey } = await createKey(fixture.owner, { scopes: ['ingest'] }));
});
afterAll(async () => {
  await fixture?.close();
  await upstream?.close();
});

const HOUR_MS = 3600_000;

/** The app's tracer: finished spans are kept until the test exports them, so it picks the order. */
function appTracer() {
  const finished = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'app-through-gateway' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: finished })],
  });
  const exporter = new OTLPTraceExporter({
    url: `${fixture.serverUrl}/otel/v1/traces`,
    headers: { Authorization: `Bearer ${ingestKey}` },
  });
  return {
    tracer: provider.getTracer('openai-instrumentation'),
    /** Sends what has finished to the server, as the app's span processor would. */
    export: async () => {
      const spans = finished.getFinishedSpans() as ReadableSpan[];
      finished.reset();
      const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(spans, resolve));
      expect(result).toMatchObject({ code: 0 });
    },
  };
}

/** The W3C header the OpenTelemetry propagator writes for the active span. */
const traceparentOf = (span: Span) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`;

async function totals(bucket: 'hour' | 'minute'): Promise<MetricValues & { sources: string[] }> {
  const now = Date.now();
  const search = new URLSearchParams({
    from: new Date(Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS).toISOString(),
    to: new Date(Math.floor(now / HOUR_MS) * HOUR_MS + 2 * HOUR_MS).toISOString(),
    bucket,
    groupBy: 'source',
  });
  const response = await fixture.owner.request('GET', `/api/metrics?${search}`);
  expect(response.statusCode, response.body).toBe(200);
  const metrics = metricsResponseSchema.parse(response.json());
  return { ...metrics.totals, sources: [...new Set(metrics.points.map((point) => String(point.group)))] };
}

type Shape = 'the generation span' | 'an HTTP client span inside the generation span';
type Order = 'the gateway record first' | 'the span first';

const cases: Array<[Shape, Order]> = [
  ['the generation span', 'the gateway record first'],
  ['the generation span', 'the span first'],
  ['an HTTP client span inside the generation span', 'the gateway record first'],
  ['an HTTP client span inside the generation span', 'the span first'],
];

describe.each(cases)('a gateway call whose traceparent names %s, with %s', (shape, order) => {
  it('joins the caller trace as a child of that span, and its tokens and cost are counted once', async () => {
    const app = appTracer();
    const before = { hour: await totals('hour'), minute: await totals('minute') };

    const generation = app.tracer.startSpan('chat gpt-4o-mini', {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
      },
    });
    const caller =
      shape === 'the generation span'
        ? generation
        : app.tracer.startSpan(
            'POST',
            { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'POST', 'url.full': fixture.serverUrl } },
            trace.setSpan(otelContext.active(), generation),
          );
    const endSpans = (usage: { prompt_tokens: number; completion_tokens: number }) => {
      if (caller !== generation) caller.end();
      generation.setAttributes({
        'gen_ai.usage.input_tokens': usage.prompt_tokens,
        'gen_ai.usage.output_tokens': usage.completion_tokens,
      });
      generation.end();
    };
    const call = () =>
      fixture.openai.chat.completions
        .create(
          { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Plan a trip' }] },
          { headers: { traceparent: traceparentOf(caller) } },
        )
        .withResponse();

    let requestId: string | null;
    if (order === 'the span first') {
      // The instrumentation's span can reach the server before the gateway writes its record.
      endSpans(FAKE_USAGE);
      await app.export();
      requestId = (await call()).response.headers.get('x-switchyard-request-id');
      await fixture.context.app.services.batchWriter.flush();
    } else {
      const { data, response } = await call();
      requestId = response.headers.get('x-switchyard-request-id');
      endSpans({
        prompt_tokens: data.usage?.prompt_tokens ?? 0,
        completion_tokens: data.usage?.completion_tokens ?? 0,
      });
      await fixture.context.app.services.batchWriter.flush();
      await app.export();
    }

    const traceId = generation.spanContext().traceId;
    const response = await fixture.owner.request('GET', `/api/traces/${traceId}`);
    expect(response.statusCode, response.body).toBe(200);
    const stored = traceDetailSchema.parse(response.json());
    const record = stored.observations.find((observation) => observation.id === requestId);
    const span = stored.observations.find((observation) => observation.id === generation.spanContext().spanId);
    expect(record).toMatchObject({
      source: 'gateway',
      traceId,
      parentId: caller.spanContext().spanId,
      inputTokens: FAKE_USAGE.prompt_tokens,
      outputTokens: FAKE_USAGE.completion_tokens,
      duplicateOf: null,
    });
    // The span keeps what the instrumentation saw, and says which record counts it.
    expect(span).toMatchObject({
      source: 'otel',
      type: 'generation',
      inputTokens: FAKE_USAGE.prompt_tokens,
      duplicateOf: requestId,
    });
    const recordCost = record?.costUsd ?? 0;
    expect(recordCost).toBeGreaterThan(0);
    expect(stored).toMatchObject({
      inputTokens: FAKE_USAGE.prompt_tokens,
      outputTokens: FAKE_USAGE.completion_tokens,
      costUsd: expect.closeTo(recordCost, 12),
    });
    // No second trace under the gateway's own id.
    expect((await fixture.owner.request('GET', `/api/traces/${requestId}`)).statusCode).toBe(404);

    // What the dashboard's numbers read: by the hour (rollups) and by the minute (the calls).
    for (const bucket of ['hour', 'minute'] as const) {
      const after = await totals(bucket);
      expect({
        bucket,
        requests: after.requests - before[bucket].requests,
        inputTokens: after.inputTokens - before[bucket].inputTokens,
        outputTokens: after.outputTokens - before[bucket].outputTokens,
        costUsd: after.costUsd - before[bucket].costUsd,
      }).toEqual({
        bucket,
        requests: 1,
        inputTokens: FAKE_USAGE.prompt_tokens,
        outputTokens: FAKE_USAGE.completion_tokens,
        costUsd: expect.closeTo(recordCost, 12),
      });
      expect(after.sources).not.toContain('otel');
    }
  });
});

describe('a traceparent the gateway cannot read', () => {
  it.each([
    ['garbage', 'not-a-traceparent'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${'a'.repeat(16)}-01`],
    ['uppercase hex', `00-${'A'.repeat(32)}-${'b'.repeat(16)}-01`],
    ['version ff', `ff-${'c'.repeat(32)}-${'d'.repeat(16)}-01`],
  ])('(%s) is ignored, as W3C Trace Context says: the call answers and starts its own trace', async (_what, value) => {
    const { response } = await fixture.openai.chat.completions
      .create(
        { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { traceparent: value } },
      )
      .withResponse();
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-switchyard-request-id');
    await fixture.context.app.services.batchWriter.flush();
    const stored = traceDetailSchema.parse((await fixture.owner.request('GET', `/api/traces/${requestId}`)).json());
    expect(stored.observations).toEqual([expect.objectContaining({ id: requestId, parentId: null })]);
  });

  it('under an x-switchyard-trace-id naming another trace, the explicit trace wins and names no parent', async () => {
    const traceparent = `00-${'e'.repeat(32)}-${'f'.repeat(16)}-01`;
    const { response } = await fixture.openai.chat.completions
      .create(
        { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { traceparent, 'x-switchyard-trace-id': 'checkout-42' } },
      )
      .withResponse();
    await fixture.context.app.services.batchWriter.flush();
    const stored = traceDetailSchema.parse((await fixture.owner.request('GET', '/api/traces/checkout-42')).json());
    expect(stored.observations).toEqual([
      expect.objectContaining({ id: response.headers.get('x-switchyard-request-id'), parentId: null }),
    ]);
  });
});
