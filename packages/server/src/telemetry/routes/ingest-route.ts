import {
  INGEST_LIMITS,
  type IngestEvent,
  type IngestResponse,
  ingestEventSchema,
  ingestRequestSchema,
  ingestResponseSchema,
} from '@switchyard/shared';
import type { ZodError } from 'zod';
import { access, apiKeyOf } from '../../auth/index.js';
import { formatBytes } from '../../http/error-handler.js';
import { errorResponses } from '../../http/error-responses.js';
import { payloadTooLarge } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import type { IngestService } from '../ingest/ingest-service.js';

/** The first problems of an invalid event, each naming its field (`body.startTime: …`). */
function describeIssues(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || 'event'}: ${issue.message}`)
    .join('; ');
}

/** The id to report an event under: its own when it has one, else its place in the batch. */
function reportedId(raw: unknown, index: number): string {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 256 ? id : `batch[${index}]`;
}

export type IngestRouteDeps = { ingest: IngestService };

export function registerIngestRoute(app: ZodApp, deps: IngestRouteDeps): void {
  const { ingest } = deps;

  app.post(
    '/v1/ingest',
    {
      config: { access: access.apiKey('ingest') },
      bodyLimit: INGEST_LIMITS.bodyBytes,
      schema: {
        tags: ['telemetry'],
        summary: 'Send traces, observations and scores in batches (207: each event’s own status)',
        description: `Events are checked one by one: invalid ones are answered in \`errors\` and the others are stored. A 207 means every event in \`successes\` is committed. Resending an event id is safe (status 200, applied once). Limits: ${formatBytes(INGEST_LIMITS.bodyBytes)} per request, ${formatBytes(INGEST_LIMITS.eventBytes)} per event, ${INGEST_LIMITS.batchEvents} events per batch. Needs an API key with the \`ingest\` scope.`,
        body: ingestRequestSchema,
        response: {
          207: ingestResponseSchema,
          ...errorResponses({ shape: 'openai', statuses: [400, 401, 403, 413, 429, 503] }),
        },
      },
    },
    async (request, reply) => {
      const principal = apiKeyOf(request);
      const { batch } = request.body;
      if (batch.length > INGEST_LIMITS.batchEvents)
        throw payloadTooLarge(
          `batch: ${batch.length} events is over the limit of ${INGEST_LIMITS.batchEvents} per request; split it`,
        );
      // No event can be over the event limit when the whole body is under it; only then measure each.
      const measure = Number(request.headers['content-length'] ?? Number.POSITIVE_INFINITY) > INGEST_LIMITS.eventBytes;
      const valid: IngestEvent[] = [];
      const response: IngestResponse = { successes: [], errors: [] };
      batch.forEach((raw, index) => {
        const id = reportedId(raw, index);
        if (measure && Buffer.byteLength(JSON.stringify(raw)) > INGEST_LIMITS.eventBytes) {
          response.errors.push({
            id,
            status: 413,
            message: `event: larger than the ${formatBytes(INGEST_LIMITS.eventBytes)} limit per event`,
          });
          return;
        }
        const parsed = ingestEventSchema.safeParse(raw);
        if (parsed.success) valid.push(parsed.data);
        else response.errors.push({ id, status: 400, message: describeIssues(parsed.error) });
      });
      const statuses = await ingest.submit({
        principal,
        source: 'ingest',
        events: valid,
        rejected: response.errors.length,
      });
      valid.forEach((event, index) => {
        response.successes.push({ id: event.id, status: statuses[index] ?? 201 });
      });
      return reply.code(207).send(response);
    },
  );
}
