import { z } from 'zod';
import { pageQuerySchema } from './pagination.js';
import { OBSERVATION_TYPES } from './telemetry.js';

const time = z.iso.datetime({ offset: true });
const nonNegative = z.coerce.number().min(0);

/** Orders of `GET /api/traces`: a column, descending with a leading `-`. */
export const TRACE_SORTS = [
  '-startTime',
  'startTime',
  '-latencyMs',
  'latencyMs',
  '-costUsd',
  'costUsd',
  '-tokens',
  'tokens',
] as const;
export type TraceSort = (typeof TRACE_SORTS)[number];

/** Filters of `GET /api/traces`; every one optional, all must hold. */
export const traceListQuerySchema = pageQuerySchema.extend({
  /** Newest first by default; traces without a cost or latency come last when sorting by it. */
  sort: z.enum(TRACE_SORTS).default('-startTime'),
  /** Traces that started at or after this time (ISO 8601). */
  from: time.optional(),
  /** …and before this one. */
  to: time.optional(),
  /** Has an observation with this model (as recorded: `openai/gpt-4o-mini` through the gateway). */
  model: z.string().max(200).optional(),
  provider: z.string().max(200).optional(),
  /** `error`: some observation failed; `success`: none did. */
  status: z.enum(['success', 'error']).optional(),
  userId: z.string().max(256).optional(),
  sessionId: z.string().max(256).optional(),
  tag: z.string().max(200).optional(),
  /** Has an observation recorded with this API key (gateway calls, or events it ingested). */
  keyId: z.uuid().optional(),
  name: z.string().max(1_000).optional(),
  minCostUsd: nonNegative.optional(),
  minLatencyMs: nonNegative.optional(),
});
export type TraceListQuery = z.infer<typeof traceListQuerySchema>;

export const traceSummarySchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  sessionId: z.string().nullable(),
  userId: z.string().nullable(),
  tags: z.array(z.string()),
  startTime: z.string(),
  endTime: z.string().nullable(),
  /** From the trace's start to its end, or to its last observation's end. */
  latencyMs: z.number().nullable(),
  observationCount: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number().nullable(),
  status: z.enum(['success', 'error']),
  models: z.array(z.string()),
});
export type TraceSummary = z.infer<typeof traceSummarySchema>;

export const observationSchema = z.object({
  id: z.string(),
  traceId: z.string(),
  parentId: z.string().nullable(),
  type: z.enum(OBSERVATION_TYPES),
  name: z.string().nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  startTime: z.string(),
  endTime: z.string().nullable(),
  completionStartTime: z.string().nullable(),
  latencyMs: z.number().nullable(),
  ttftMs: z.number().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cachedInputTokens: z.number().int(),
  costUsd: z.number().nullable(),
  status: z.enum(['success', 'error']),
  level: z.string(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  cacheStatus: z.string().nullable(),
  attempts: z.number().int(),
  apiKeyId: z.string().nullable(),
  source: z.enum(['gateway', 'ingest', 'otel']),
  /**
   * The id of the gateway record that counts this model call: set on an OpenTelemetry generation
   * span whose call went through the gateway. Its tokens and cost are shown, not counted again.
   */
  duplicateOf: z.string().nullable(),
  input: z.unknown(),
  output: z.unknown(),
  metadata: z.unknown(),
});
export type Observation = z.infer<typeof observationSchema>;

export const scoreSchema = z.object({
  id: z.string(),
  traceId: z.string(),
  observationId: z.string().nullable(),
  name: z.string(),
  value: z.number(),
  source: z.string(),
  comment: z.string().nullable(),
  createdAt: z.string(),
});

/** One trace with everything in it: observations carry `parentId`, so the tree is one call. */
export const traceDetailSchema = traceSummarySchema.extend({
  metadata: z.unknown(),
  input: z.unknown(),
  output: z.unknown(),
  observations: z.array(observationSchema),
  scores: z.array(scoreSchema),
});
export type TraceDetail = z.infer<typeof traceDetailSchema>;

export const METRIC_GROUPS = ['provider', 'model', 'key', 'source'] as const;

export const METRIC_BUCKETS = ['minute', 'hour', 'day'] as const;

export const metricsQuerySchema = z.object({
  /** Start of the range (ISO 8601); 24 hours before `to` by default. */
  from: time.optional(),
  /** End of the range; now by default. */
  to: time.optional(),
  /**
   * `minute` (read from the calls themselves, for ranges up to 6 hours), `hour` (from the hourly
   * rollups) or `day` (UTC). Default: hours up to 7 days, days beyond.
   */
  bucket: z.enum(METRIC_BUCKETS).optional(),
  groupBy: z.enum(METRIC_GROUPS).optional(),
});
export type MetricsQuery = z.infer<typeof metricsQuerySchema>;

export const metricValuesSchema = z.object({
  requests: z.number().int(),
  errors: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cachedInputTokens: z.number().int(),
  costUsd: z.number(),
  /**
   * Read from the latency histogram, interpolated inside a bucket and never outside the fastest and
   * slowest call counted: within one bucket of the truth. Null with no timed calls.
   */
  latencyMs: z.object({
    avg: z.number().nullable(),
    p50: z.number().nullable(),
    p95: z.number().nullable(),
    p99: z.number().nullable(),
  }),
});
export type MetricValues = z.infer<typeof metricValuesSchema>;

export const metricsResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  bucket: z.enum(METRIC_BUCKETS),
  groupBy: z.enum(METRIC_GROUPS).nullable(),
  /** One point per bucket (and group) that had calls, in time order. */
  points: z.array(metricValuesSchema.extend({ time: z.string(), group: z.string().nullable() })),
  totals: metricValuesSchema,
});
export type MetricsResponse = z.infer<typeof metricsResponseSchema>;
