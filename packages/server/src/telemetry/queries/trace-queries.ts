import type { TraceDetail, TraceListQuery, TraceSort, TraceSummary } from '@switchyard/shared';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { observations, scores } from '../../db/telemetry-schema.js';
import { traceOrder } from './trace-sort.js';

type SummaryRow = {
  id: string;
  name: string | null;
  session_id: string | null;
  user_id: string | null;
  tags: string[];
  start_time: Date | string;
  end_time: Date | string | null;
  latency_ms: number | null;
  observation_count: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  has_error: boolean;
  models: string[] | null;
};

const iso = (value: Date | string) => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null) => (value === null ? null : iso(value));

// Each trace's totals over its observations (one index lookup per trace, by (org_id, trace_id)). A
// span that repeats a gateway record's model call (duplicate_of) is counted by that record only.
const TRACE_TOTALS = sql`left join lateral (
    select count(*)::int as observation_count,
      coalesce(sum(o.input_tokens) filter (where o.duplicate_of is null), 0)::int as input_tokens,
      coalesce(sum(o.output_tokens) filter (where o.duplicate_of is null), 0)::int as output_tokens,
      (sum(o.cost_usd) filter (where o.duplicate_of is null))::float8 as cost_usd,
      coalesce(bool_or(o.status = 'error'), false) as has_error,
      max(o.end_time) as last_end,
      array_remove(array_agg(distinct o.model), null) as models
    from observations o where o.org_id = t.org_id and o.trace_id = t.id
  ) totals on true`;
const LATENCY = sql`(extract(epoch from (coalesce(t.end_time, totals.last_end) - t.start_time)) * 1000)::float8`;
/** The columns of a `SummaryRow`, from `traces t` joined with TRACE_TOTALS. */
const SUMMARY_COLUMNS = sql`t.id, t.name, t.session_id, t.user_id, t.tags, t.start_time, t.end_time, ${LATENCY} as latency_ms,
  totals.observation_count, totals.input_tokens, totals.output_tokens, totals.cost_usd, totals.has_error, totals.models`;

function toSummary(row: SummaryRow): TraceSummary {
  return {
    id: row.id,
    name: row.name,
    sessionId: row.session_id,
    userId: row.user_id,
    tags: row.tags ?? [],
    startTime: iso(row.start_time),
    endTime: isoOrNull(row.end_time),
    latencyMs: row.latency_ms === null ? null : Math.max(0, row.latency_ms),
    observationCount: row.observation_count,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costUsd: row.cost_usd,
    status: row.has_error ? 'error' : 'success',
    models: row.models ?? [],
  };
}

/** A page of an org's traces (newest first unless sorted otherwise) with their totals; filters combine with "and". */
export async function listTraces(
  db: Database,
  orgId: string,
  query: Omit<TraceListQuery, 'sort'> & { sort?: TraceSort },
): Promise<{ data: TraceSummary[]; nextCursor: string | null }> {
  const hasObservation = (condition: SQL) =>
    sql`exists (select 1 from observations o where o.org_id = t.org_id and o.trace_id = t.id and ${condition})`;
  const order = traceOrder(query.sort ?? '-startTime', LATENCY);
  const conditions: SQL[] = [sql`t.org_id = ${orgId}`];
  if (query.from) conditions.push(sql`t.start_time >= ${query.from}`);
  if (query.to) conditions.push(sql`t.start_time < ${query.to}`);
  if (query.cursor) conditions.push(order.after(query.cursor));
  if (query.userId) conditions.push(sql`t.user_id = ${query.userId}`);
  if (query.sessionId) conditions.push(sql`t.session_id = ${query.sessionId}`);
  if (query.tag) conditions.push(sql`${query.tag} = any(t.tags)`);
  if (query.name) conditions.push(sql`t.name = ${query.name}`);
  if (query.model) conditions.push(hasObservation(sql`o.model = ${query.model}`));
  if (query.provider) conditions.push(hasObservation(sql`o.provider = ${query.provider}`));
  if (query.keyId) conditions.push(hasObservation(sql`o.api_key_id = ${query.keyId}`));
  if (query.status === 'error') conditions.push(sql`totals.has_error`);
  if (query.status === 'success') conditions.push(sql`not totals.has_error`);
  if (query.minCostUsd !== undefined) conditions.push(sql`totals.cost_usd >= ${query.minCostUsd}`);
  if (query.minLatencyMs !== undefined) conditions.push(sql`${LATENCY} >= ${query.minLatencyMs}`);

  const direction = order.descending ? sql`desc` : sql`asc`;
  const result = (await db.execute(sql`
    select ${SUMMARY_COLUMNS}, ${order.key} as sort_key
    from traces t ${TRACE_TOTALS}
    where ${sql.join(conditions, sql` and `)}
    order by sort_key ${direction}, t.id ${direction}
    limit ${query.limit + 1}`)) as { rows: Array<SummaryRow & { sort_key: unknown }> };
  const rows = result.rows.slice(0, query.limit);
  const last = rows.at(-1);
  return {
    data: rows.map(toSummary),
    nextCursor: result.rows.length > query.limit && last ? order.cursorOf(last) : null,
  };
}

/** One trace with its observations (in start order) and scores, or undefined when the org has none by that id. */
export async function getTrace(db: Database, orgId: string, traceId: string): Promise<TraceDetail | undefined> {
  const result = (await db.execute(sql`
    select ${SUMMARY_COLUMNS}, t.metadata, t.input, t.output
    from traces t ${TRACE_TOTALS}
    where t.org_id = ${orgId} and t.id = ${traceId}`)) as {
    rows: Array<SummaryRow & { metadata: unknown; input: unknown; output: unknown }>;
  };
  const row = result.rows[0];
  if (!row) return undefined;
  const observationRows = await db
    .select()
    .from(observations)
    .where(and(eq(observations.orgId, orgId), eq(observations.traceId, traceId)))
    .orderBy(asc(observations.startTime), asc(observations.id));
  const scoreRows = await db
    .select()
    .from(scores)
    .where(and(eq(scores.orgId, orgId), eq(scores.traceId, traceId)))
    .orderBy(asc(scores.createdAt));
  return {
    ...toSummary(row),
    metadata: row.metadata,
    input: row.input,
    output: row.output,
    observations: observationRows.map(({ orgId: _orgId, createdAt: _createdAt, ...observation }) => ({
      ...observation,
      startTime: observation.startTime.toISOString(),
      endTime: observation.endTime?.toISOString() ?? null,
      completionStartTime: observation.completionStartTime?.toISOString() ?? null,
    })),
    scores: scoreRows.map(({ orgId: _orgId, ...score }) => ({ ...score, createdAt: score.createdAt.toISOString() })),
  };
}
