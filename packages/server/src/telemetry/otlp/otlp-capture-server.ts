import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { decodeOtlpTraces } from './decode-traces.js';
import { decompressOtlpBody } from './otlp-body.js';
import type { OtlpSpan } from './otlp-span.js';

// Test support (not part of the server bundle): the official OpenTelemetry exporters send to a
// loopback server that keeps the raw requests, which are then decoded as the route will.

export type CapturedRequest = { headers: IncomingHttpHeaders; body: Uint8Array };
type ExporterConfig = NonNullable<ConstructorParameters<typeof ProtobufTraceExporter>[0]>;

export const TEST_API_KEY = 'sy-test-ingest';
const T0 = Date.UTC(2026, 2, 14, 9, 0, 0);

/** A fixed time `milliseconds` after 2026-03-14T09:00:00Z, so spans and assertions agree. */
export const at = (milliseconds: number) => new Date(T0 + milliseconds);

export class OtlpCaptureServer {
  readonly #server: Server;
  readonly #url: string;
  readonly #requests: CapturedRequest[];

  private constructor(server: Server, url: string, requests: CapturedRequest[]) {
    this.#server = server;
    this.#url = url;
    this.#requests = requests;
  }

  static async start(): Promise<OtlpCaptureServer> {
    const requests: CapturedRequest[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({ headers: request.headers, body: new Uint8Array(Buffer.concat(chunks)) });
        const json = request.headers['content-type']?.includes('json');
        response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
        response.end(json ? '{}' : undefined);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/otel/v1/traces`;
    return new OtlpCaptureServer(server, url, requests);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  /** Records spans through a real tracer provider and exporter, and decodes what reached the server. */
  async exportSpans(options: {
    encoding: 'json' | 'protobuf';
    batch?: boolean;
    gzip?: boolean;
    record: (tracer: Tracer) => void;
  }): Promise<{ requests: CapturedRequest[]; spans: OtlpSpan[] }> {
    const config: ExporterConfig = {
      url: this.#url,
      headers: { Authorization: `Bearer ${TEST_API_KEY}` },
      ...(options.gzip ? { compression: 'gzip' as ExporterConfig['compression'] } : {}),
    };
    const exporter = options.encoding === 'json' ? new JsonTraceExporter(config) : new ProtobufTraceExporter(config);
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'travel-app', 'deployment.environment.name': 'test' }),
      idGenerator: sequentialIds(),
      spanProcessors: [options.batch ? new BatchSpanProcessor({ exporter }) : new SimpleSpanProcessor({ exporter })],
    });
    const before = this.#requests.length;
    options.record(provider.getTracer('travel-app-instrumentation', '1.2.3'));
    await provider.forceFlush();
    await provider.shutdown();
    const requests = this.#requests.slice(before);
    const spans: OtlpSpan[] = [];
    for (const request of requests) {
      const body = await decompressOtlpBody({
        body: request.body,
        contentEncoding: request.headers['content-encoding'],
        maxBytes: 5 * 1024 * 1024,
      });
      spans.push(...decodeOtlpTraces({ body, contentType: request.headers['content-type'] }).spans);
    }
    return { requests, spans };
  }
}

/** Ids counting up, so two runs of the same scenario produce the same spans. */
function sequentialIds() {
  let next = 1;
  const hex = () => (next++).toString(16).padStart(16, '0');
  return { generateTraceId: () => `${'a'.repeat(16)}${hex()}`, generateSpanId: hex };
}
