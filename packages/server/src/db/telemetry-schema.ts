import { bigint, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { organizations, timestamptz } from './schema.js';

/** Who recorded an observation: the gateway itself, the ingest API (SDK, curl) or the OTLP endpoint. */
export const OBSERVATION_SOURCES = ['gateway', 'ingest', 'otel'] as const;
export type ObservationSource = (typeof OBSERVATION_SOURCES)[number];

const orgId = () =>
  uuid('org_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' });

/**
 * High-volume tables carry their org without a foreign key: the per-row check cost 40% of an
 * ingest insert (EXPLAIN ANALYZE: 42 ms of 107 ms for 4,000 rows). Deleting an org must delete
 * its telemetry explicitly.
 */
const telemetryOrgId = () => uuid('org_id').notNull();

/** One unit of work (a request, an agent run). Ids are chosen by clients, so they are unique per org. */
export const traces = pgTable(
  'traces',
  {
    orgId: telemetryOrgId(),
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
    // The Users page groups an org's traces by end user; one user's traces and totals are a range of it.
    index('traces_org_user_idx').on(table.orgId, table.userId),
  ],
);

/** A step of a trace: a model call (`generation`), a span, a tool call, a retrieval, … */
export const observations = pgTable(
  'observations',
  {
    orgId: telemetryOrgId(),
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
    source: text('source', { enum: OBSERVATION_SOURCES }).notNull().default('gateway'),
    /**
     * The gateway record that counts this model call, when an OpenTelemetry generation span and the
     * gateway's record describe the same call: this one's tokens and cost are not counted again.
     */
    duplicateOf: text('duplicate_of'),
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
    orgId: telemetryOrgId(),
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

const rollupColumns = () => ({
  orgId: orgId(),
  bucketStart: timestamptz('bucket_start').notNull(),
  provider: text('provider').notNull(),
  model: text('model').notNull(),
  apiKeyId: text('api_key_id').notNull(),
  /** Spend through the gateway counts against budgets; spend recorded by ingest or OTLP is reported only. */
  source: text('source', { enum: OBSERVATION_SOURCES }).notNull().default('gateway'),
  requests: bigint('requests', { mode: 'number' }).notNull(),
  errors: bigint('errors', { mode: 'number' }).notNull(),
  inputTokens: bigint('input_tokens', { mode: 'number' }).notNull(),
  outputTokens: bigint('output_tokens', { mode: 'number' }).notNull(),
  cachedInputTokens: bigint('cached_input_tokens', { mode: 'number' }).notNull(),
  costUsd: doublePrecision('cost_usd').notNull(),
  latencyMsSum: doublePrecision('latency_ms_sum').notNull(),
  /**
   * Bounds of every latency counted in the row, which clamp the percentiles read from the histogram.
   * Null when unknown: a row written before they were kept (the histogram's bounds apply then).
   */
  latencyMsMin: doublePrecision('latency_ms_min'),
  latencyMsMax: doublePrecision('latency_ms_max'),
  /** Counts per LATENCY_BUCKETS_MS bucket (last = above the largest bound), for p50/p95/p99. */
  latencyHistogram: integer('latency_histogram').array().notNull(),
});

/**
 * Per org, hour, provider, model, key and source: what the dashboard charts, kept current by the
 * writers with upserts so no chart scans raw observations. `apiKeyId` is '' for calls without a key.
 */
export const usageRollups = pgTable('usage_rollups', rollupColumns(), (table) => [
  primaryKey({ columns: [table.orgId, table.bucketStart, table.provider, table.model, table.apiKeyId, table.source] }),
]);

/**
 * The same per UTC day, written in the same transactions: a 30-day chart reads 30 rows per group
 * instead of 720 (an hourly scan of 30 days × 80 groups took 100 ms; this takes a few).
 */
export const usageRollupsDaily = pgTable('usage_rollups_daily', rollupColumns(), (table) => [
  primaryKey({ columns: [table.orgId, table.bucketStart, table.provider, table.model, table.apiKeyId, table.source] }),
]);

/**
 * Envelope ids of ingested events, so a resent batch is acknowledged without being applied twice.
 * Retries come within minutes; rows older than the retention are pruned.
 */
export const ingestEvents = pgTable(
  'ingest_events',
  {
    orgId: telemetryOrgId(),
    id: text('id').notNull(),
    receivedAt: timestamptz('received_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.id] }),
    // BRIN: rows arrive in time order, so a block-range index serves the pruning for almost no upkeep.
    index('ingest_events_received_idx').using('brin', table.receivedAt),
  ],
);

/** `observation-update`s that arrived before their observation; applied (and deleted) when it is created. */
export const pendingObservationUpdates = pgTable(
  'pending_observation_updates',
  {
    orgId: telemetryOrgId(),
    /** The envelope id: the order of arrival within a batch is kept by `sequence`. */
    id: text('id').notNull(),
    observationId: text('observation_id').notNull(),
    sequence: bigint('sequence', { mode: 'number' }).generatedAlwaysAsIdentity(),
    body: jsonb('body').notNull(),
    receivedAt: timestamptz('received_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.id] }),
    index('pending_observation_updates_observation_idx').on(table.orgId, table.observationId),
    index('pending_observation_updates_received_idx').using('brin', table.receivedAt),
  ],
);
