import { bigint, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { organizations, timestamptz } from './schema.js';

const orgId = () =>
  uuid('org_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' });

/** One unit of work (a request, an agent run). Ids are chosen by clients, so they are unique per org. */
export const traces = pgTable(
  'traces',
  {
    orgId: orgId(),
    id: text('id').notNull(),
    name: text('name'),
    sessionId: text('session_id'),
    userId: text('user_id'),
    tags: text('tags').array().notNull().default([]),
    metadata: jsonb('metadata'),
    input: jsonb('input'),
    output: jsonb('output'),
    startTime: timestamptz('start_time').notNull(),
    endTime: timestamptz('end_time'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.id] }),
    index('traces_org_start_idx').on(table.orgId, table.startTime.desc()),
    index('traces_org_session_idx').on(table.orgId, table.sessionId),
  ],
);

/** A step of a trace: a model call (`generation`), a span, a tool call, a retrieval, … */
export const observations = pgTable(
  'observations',
  {
    orgId: orgId(),
    id: text('id').notNull(),
    traceId: text('trace_id').notNull(),
    parentId: text('parent_id'),
    type: text('type', { enum: ['generation', 'span', 'event', 'tool', 'agent', 'retrieval'] }).notNull(),
    name: text('name'),
    provider: text('provider'),
    model: text('model'),
    startTime: timestamptz('start_time').notNull(),
    endTime: timestamptz('end_time'),
    completionStartTime: timestamptz('completion_start_time'),
    ttftMs: doublePrecision('ttft_ms'),
    latencyMs: doublePrecision('latency_ms'),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    cachedInputTokens: integer('cached_input_tokens').notNull().default(0),
    costUsd: doublePrecision('cost_usd'),
    status: text('status', { enum: ['success', 'error'] })
      .notNull()
      .default('success'),
    level: text('level').notNull().default('DEFAULT'),
    /** HTTP status of the call (gateway records). */
    statusCode: integer('status_code'),
    error: text('error'),
    cacheStatus: text('cache_status'),
    attempts: integer('attempts').notNull().default(1),
    apiKeyId: uuid('api_key_id'),
    input: jsonb('input'),
    output: jsonb('output'),
    metadata: jsonb('metadata'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.id] }),
    index('observations_org_start_idx').on(table.orgId, table.startTime.desc()),
    index('observations_org_trace_idx').on(table.orgId, table.traceId),
  ],
);

export const scores = pgTable(
  'scores',
  {
    orgId: orgId(),
    id: text('id').notNull(),
    traceId: text('trace_id').notNull(),
    observationId: text('observation_id'),
    name: text('name').notNull(),
    value: doublePrecision('value').notNull(),
    source: text('source').notNull().default('api'),
    comment: text('comment'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.id] }),
    index('scores_org_trace_idx').on(table.orgId, table.traceId),
  ],
);

/**
 * Per org, hour, provider, model and key: what the dashboard charts, kept current by the batch writer
 * with upserts so no chart scans raw observations. `apiKeyId` is '' for calls without a key.
 */
export const usageRollups = pgTable(
  'usage_rollups',
  {
    orgId: orgId(),
    bucketStart: timestamptz('bucket_start').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    apiKeyId: text('api_key_id').notNull(),
    requests: bigint('requests', { mode: 'number' }).notNull(),
    errors: bigint('errors', { mode: 'number' }).notNull(),
    inputTokens: bigint('input_tokens', { mode: 'number' }).notNull(),
    outputTokens: bigint('output_tokens', { mode: 'number' }).notNull(),
    cachedInputTokens: bigint('cached_input_tokens', { mode: 'number' }).notNull(),
    costUsd: doublePrecision('cost_usd').notNull(),
    latencyMsSum: doublePrecision('latency_ms_sum').notNull(),
    /** Counts per LATENCY_BUCKETS_MS bucket (last = above the largest bound), for p50/p95/p99. */
    latencyHistogram: integer('latency_histogram').array().notNull(),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.bucketStart, table.provider, table.model, table.apiKeyId] })],
);
