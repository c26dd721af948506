import {
  INGEST_LIMITS,
  type IngestEvent,
  ingestEventSchema,
  type ObservationCreateBody,
  type TraceCreateBody,
} from '@switchyard/shared';
import { AttributeReader } from './attribute-reader.js';
import { boundJson, jsonByteLength } from './bounded-json.js';
import { completionStartTimeOf, FIRST_CHUNK_EVENT } from './completion-start.js';
import { observationTypeOf } from './observation-type.js';
import type { OtlpSpan } from './otlp-span.js';
import { CONTENT_EVENT_NAMES, contentOf } from './span-content.js';
import { metadataOf, resourceMetadataOf } from './span-metadata.js';
import { modelOf } from './span-model.js';
import { statusOf } from './span-status.js';
import { costUsdOf, usageOf } from './span-usage.js';
import { type TraceAttributes, traceAttributesOf } from './trace-attributes.js';
import { dateFromUnixNanos, isoFromUnixNanos } from './unix-nanos.js';

export type SpanMappingResult = {
  events: IngestEvent[];
  /** Spans that could not become valid events; `message` names the first few and why. */
  rejected: { count: number; message: string };
};

/** Input and output each get this much of the 1 MB an event may weigh; metadata has its own bound. */
const CONTENT_MAX_BYTES = 384 * 1024;
const MAX_NAME_LENGTH = 1_000;
const MAX_REPORTED_REJECTIONS = 5;
const MAPPED_EVENT_NAMES: ReadonlySet<string> = new Set([...CONTENT_EVENT_NAMES, FIRST_CHUNK_EVENT]);

type SpanEvents = { success: true; events: IngestEvent[] } | { success: false; error: string };

/**
 * Turns OTLP spans into Switchyard ingest events: one `observation-create` per span, and a
 * `trace-create` for each root span (and for any span naming the trace's session, user or tags).
 * Envelope ids derive from the span ids, so an exporter's retry is recognised as the same events.
 * A span that cannot map is counted in `rejected`, never thrown.
 *
 * @example
 * const { events, rejected } = spansToIngestEvents(decodeOtlpProtobuf(body));
 */
export function spansToIngestEvents(spans: OtlpSpan[]): SpanMappingResult {
  const events: IngestEvent[] = [];
  const problems: string[] = [];
  let rejectedCount = 0;
  for (const span of spans) {
    const mapped = spanToEvents(span);
    if (mapped.success) {
      events.push(...mapped.events);
      continue;
    }
    rejectedCount += 1;
    if (problems.length < MAX_REPORTED_REJECTIONS) problems.push(`span ${span.spanId || '(no id)'}: ${mapped.error}`);
  }
  const unreported = rejectedCount - problems.length;
  const message = [...problems, ...(unreported > 0 ? [`and ${unreported} more`] : [])].join('; ');
  return { events, rejected: { count: rejectedCount, message } };
}

function spanToEvents(span: OtlpSpan): SpanEvents {
  const idProblem = idProblemOf(span);
  if (idProblem) return { success: false, error: idProblem };
  const start = dateFromUnixNanos(span.startTimeUnixNano);
  if (!start) return { success: false, error: 'startTimeUnixNano is missing or out of range' };
  const startTime = start.toISOString();
  const endTime = isoFromUnixNanos(span.endTimeUnixNano);

  const attributes = new AttributeReader(span.attributes);
  const type = observationTypeOf(attributes);
  const traceAttributes = traceAttributesOf(attributes);
  const { provider, model } = modelOf(attributes);
  // Only model calls carry usage: a parent repeating its children's sum must not count twice.
  const usage = type === 'generation' ? usageOf(attributes) : undefined;
  const costUsd = type === 'generation' ? costUsdOf(attributes) : undefined;
  const completionStartTime = completionStartTimeOf({ span, attributes, startTime: start });
  const { input, output } = contentOf({ span, attributes });
  const toolName = type === 'tool' ? attributes.readString('gen_ai.tool.name', 'ai.toolCall.name') : undefined;
  // Headers the caller passed to the provider may hold credentials.
  attributes.drop('ai.request.headers.*');
  const name = (toolName ?? span.name).slice(0, MAX_NAME_LENGTH);
  const boundedInput = input === undefined ? undefined : boundJson({ value: input, maxBytes: CONTENT_MAX_BYTES });
  const boundedOutput = output === undefined ? undefined : boundJson({ value: output, maxBytes: CONTENT_MAX_BYTES });

  const observation: ObservationCreateBody = {
    id: span.spanId,
    traceId: span.traceId,
    parentId: span.parentSpanId ?? null,
    type,
    ...(name ? { name } : {}),
    ...(provider ? { provider } : {}),
    ...(model ? { model } : {}),
    startTime,
    ...(endTime ? { endTime } : {}),
    ...(completionStartTime ? { completionStartTime } : {}),
    ...(usage ? { usage } : {}),
    ...(costUsd !== undefined ? { costUsd } : {}),
    ...statusOf(span),
    ...(boundedInput !== undefined ? { input: boundedInput } : {}),
    ...(boundedOutput !== undefined ? { output: boundedOutput } : {}),
    metadata: metadataOf({ span, unmappedAttributes: attributes.unmapped(), mappedEventNames: MAPPED_EVENT_NAMES }),
  };
  const timestamp = endTime ?? startTime;
  const candidates: unknown[] = [];
  const traceBody = traceBodyOf({ span, traceAttributes, attributes, startTime, endTime, boundedInput, boundedOutput });
  if (traceBody) {
    candidates.push({
      id: `otel-trace:${span.traceId}:${span.spanId}`,
      type: 'trace-create',
      // A child's trace-create carries no start time: the writer falls back to this one.
      timestamp: span.parentSpanId === undefined ? timestamp : startTime,
      body: traceBody,
    });
  }
  candidates.push({
    id: `otel:${span.traceId}:${span.spanId}`,
    type: 'observation-create',
    timestamp,
    body: observation,
  });
  return validated(candidates);
}

/**
 * A root span describes its trace; another span only adds the trace facts it names (session, user,
 * tags, name), which matters when the root is, say, an HTTP span that knows none of them.
 */
function traceBodyOf(options: {
  span: OtlpSpan;
  traceAttributes: TraceAttributes;
  attributes: AttributeReader;
  startTime: string;
  endTime: string | undefined;
  boundedInput: unknown;
  boundedOutput: unknown;
}): TraceCreateBody | undefined {
  const { span, traceAttributes } = options;
  if (span.parentSpanId !== undefined) {
    return Object.keys(traceAttributes).length ? { id: span.traceId, ...traceAttributes } : undefined;
  }
  const functionId = options.attributes.peek('ai.telemetry.functionId');
  const name = (traceAttributes.name ?? (typeof functionId === 'string' && functionId ? functionId : span.name)).slice(
    0,
    MAX_NAME_LENGTH,
  );
  return {
    id: span.traceId,
    ...traceAttributes,
    ...(name ? { name } : {}),
    startTime: options.startTime,
    ...(options.endTime ? { endTime: options.endTime } : {}),
    ...(options.boundedInput !== undefined ? { input: options.boundedInput } : {}),
    ...(options.boundedOutput !== undefined ? { output: options.boundedOutput } : {}),
    metadata: resourceMetadataOf(span),
  };
}

/** All of a span's events, checked against the shared schema and size limit, or why not. */
function validated(candidates: unknown[]): SpanEvents {
  const events: IngestEvent[] = [];
  for (const candidate of candidates) {
    const result = ingestEventSchema.safeParse(candidate);
    if (!result.success) {
      const issue = result.error.issues[0];
      return { success: false, error: `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}` };
    }
    if (jsonByteLength(result.data) > INGEST_LIMITS.eventBytes) {
      return { success: false, error: `event is larger than ${INGEST_LIMITS.eventBytes} bytes` };
    }
    events.push(result.data);
  }
  return { success: true, events };
}

function idProblemOf(span: OtlpSpan): string | undefined {
  if (!/^[0-9a-f]{32}$/.test(span.traceId) || !/[^0]/.test(span.traceId)) {
    return `traceId must be 16 non-zero bytes, got "${span.traceId.slice(0, 64)}"`;
  }
  if (!/^[0-9a-f]{16}$/.test(span.spanId) || !/[^0]/.test(span.spanId)) {
    return `spanId must be 8 non-zero bytes, got "${span.spanId.slice(0, 64)}"`;
  }
  if (span.parentSpanId !== undefined && !/^[0-9a-f]{16}$/.test(span.parentSpanId)) {
    return `parentSpanId must be 8 bytes, got "${span.parentSpanId.slice(0, 64)}"`;
  }
  return undefined;
}
