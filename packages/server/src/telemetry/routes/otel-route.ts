import { INGEST_LIMITS } from '@switchyard/shared';
import type { FastifyInstance } from 'fastify';
import { access, apiKeyOf } from '../../auth/index.js';
import { HttpError } from '../../http/http-error.js';
import type { IngestService } from '../ingest/ingest-service.js';
import {
  decodeOtlpTraces,
  decompressOtlpBody,
  encodeExportTraceResponse,
  exportTraceResponseJson,
  OTLP_CONTENT_TYPES,
  OtlpDecodeError,
  spansToIngestEvents,
} from '../otlp/index.js';

const STATUS_OF_KIND = { malformed: 400, unsupported: 415, 'too-large': 413 } as const;

/**
 * `POST /otel/v1/traces`: OTLP/HTTP trace exports, protobuf or JSON, gzipped or not. Spans become
 * traces and observations through the same writer as `/v1/ingest` (so answered = committed), and the
 * answer says how many spans could not be used (OTLP's partial success).
 */
export type OtelRouteDeps = { ingest: IngestService };

export async function registerOtelRoute(app: FastifyInstance, deps: OtelRouteDeps): Promise<void> {
  const { ingest } = deps;
  await app.register(async (scope) => {
    // The body is decoded by the route (after gunzip), so this scope reads it as bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      ['application/x-protobuf', 'application/protobuf', 'application/json'],
      { parseAs: 'buffer', bodyLimit: INGEST_LIMITS.bodyBytes },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/otel/v1/traces',
      {
        bodyLimit: INGEST_LIMITS.bodyBytes,
        config: { access: access.apiKey('ingest') },
        schema: {
          tags: ['telemetry'],
          summary: 'OpenTelemetry trace export (OTLP/HTTP, protobuf or JSON, gzip allowed)',
          description:
            'Spans with GenAI semantic conventions (`gen_ai.*`) or the Vercel AI SDK’s `ai.*` attributes become generations, tool calls and agent steps; other spans become `span` observations. Point an exporter at it with `OTEL_EXPORTER_OTLP_ENDPOINT=<url>/otel` and `OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <key>"` (a key with the `ingest` scope). Limit: 5 MB per export after decompression.',
        },
      },
      async (request, reply) => {
        const principal = apiKeyOf(request);
        const decoded = await decodeRequest(request.body as Buffer, request.headers);
        const { events, rejected } = spansToIngestEvents(decoded.spans);
        await ingest.submit({ principal, source: 'otel', events, rejected: rejected.count });
        const result = { rejectedSpans: rejected.count, errorMessage: rejected.message || undefined };
        if (decoded.encoding === 'protobuf')
          return reply.type(OTLP_CONTENT_TYPES.protobuf).send(Buffer.from(encodeExportTraceResponse(result)));
        return reply.type(OTLP_CONTENT_TYPES.json).send(exportTraceResponseJson(result));
      },
    );
  });
}

async function decodeRequest(body: Buffer, headers: Record<string, string | string[] | undefined>) {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  try {
    const inflated = await decompressOtlpBody({
      body,
      contentEncoding: header('content-encoding'),
      maxBytes: INGEST_LIMITS.bodyBytes,
    });
    return decodeOtlpTraces({ body: inflated, contentType: header('content-type') });
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    const status = STATUS_OF_KIND[error.kind];
    const message =
      error.kind === 'too-large' ? 'The export is larger than the 5 MB limit (after decompression)' : error.message;
    throw new HttpError(status, { code: error.kind.replace('-', '_'), message, cause: error });
  }
}
