import type { SessionDetail, SessionListQuery, SessionSummary, SessionTurn } from '@switchyard/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { decodeCursorValues, encodeCursorValues } from '../../http/cursor.js';
import { decodeMicrosecondTime, microsecondTime } from './microsecond-time.js';
import { listTraces } from './trace-queries.js';

type SessionRow = {
  session_id: string;
  trace_count: number;
  first_trace_at: Date | string;
  last_trace_at: Date | string;
  /** `last_trace_at` to the microsecond (a Date keeps milliseconds): the cursor keeps it exactly. */
  last_trace_key: string;
  duration_ms: number | null;
  user_ids: string[] | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  error_count: number;
};

const iso = (value: Date | string) => new Date(value).toISOString();

function toSummary(row: SessionRow): SessionSummary {
  return {
    sessionId: row.session_id,
    traceCount: row.trace_count,
    firstTraceAt: iso(row.first_trace_at),
    lastTraceAt: iso(row.last_trace_at),
    durationMs: Math.max(0, row.duration_ms ?? 0),
    userIds: row.user_ids ?? [],
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costUsd: row.cost_usd,
    errorCount: row.error_count,
  };
}

/**
 * Sessions of an org, most recently active first: one grouped pass over the traces (by the
 * (org_id, session_id) index), then each session's usage over its traces' observations.
 */
async function sessionRows(
  db: Database,
  options: { orgId: string; traceConditions: SQL[]; after?: { time: string; id: string }; limit: number },
): Promise<SessionRow[]> {
  const { orgId, traceConditions, after, limit } = options;
  const where = sql.join([sql`t.org_id = ${orgId}`, sql`t.session_id is not null`, ...traceConditions], sql` and `);
  const result = (await db.execute(sql`
    with sessions as (
      select t.session_id, count(*)::int as trace_count, min(t.start_time) as first_trace_at,
        max(t.start_time) as last_trace_at, max(coalesce(t.end_time, t.start_time)) as last_trace_end,
        array_remove(array_agg(distinct t.user_id), null) as user_ids
      from traces t where ${where}
      group by t.session_id
    ), page as (
      select * from sessions
      ${after ? sql`where (last_trace_at, session_id) < (${after.time}::timestamptz, ${after.id})` : sql``}
      order by last_trace_at desc, session_id desc
      limit ${limit}
    )
    select page.session_id, page.trace_count, page.first_trace_at, page.last_trace_at, page.user_ids,
      ${microsecondTime(sql`page.last_trace_at`)} as last_trace_key,
      coalesce(usage.input_tokens, 0)::int as input_tokens, coalesce(usage.output_tokens, 0)::int as output_tokens,
      coalesce(usage.cost_usd, 0)::float8 as cost_usd, coalesce(usage.error_count, 0)::int as error_count,
      (extract(epoch from (greatest(page.last_trace_end, usage.last_end) - page.first_trace_at)) * 1000)::float8
        as duration_ms
    from page left join lateral (
      -- A span that repeats a gateway record's model call (duplicate_of) is counted by that record only.
      select sum(o.input_tokens) filter (where o.duplicate_of is null) as input_tokens,
        sum(o.output_tokens) filter (where o.duplicate_of is null) as output_tokens,
        sum(o.cost_usd) filter (where o.duplicate_of is null) as cost_usd,
        count(distinct t.id) filter (where o.status = 'error') as error_count, max(o.end_time) as last_end
      from traces t join observations o on o.org_id = t.org_id and o.trace_id = t.id
      where ${where} and t.session_id = page.session_id
    ) usage on true
    order by page.last_trace_at desc, page.session_id desc`)) as { rows: SessionRow[] };
  return result.rows;
}

function rangeConditions(query: { from?: string; to?: string; userId?: string }): SQL[] {
  const conditions: SQL[] = [];
  if (query.from) conditions.push(sql`t.start_time >= ${query.from}`);
  if (query.to) conditions.push(sql`t.start_time < ${query.to}`);
  if (query.userId) conditions.push(sql`t.user_id = ${query.userId}`);
  return conditions;
}

/** An org's sessions (traces sharing a `sessionId`), most recently active first, a page at a time. */
export async function listSessions(
  db: Database,
  orgId: string,
  query: SessionListQuery,
): Promise<{ data: SessionSummary[]; nextCursor: string | null }> {
  const after = query.cursor ? decodeSessionCursor(query.cursor) : undefined;
  const rows = await sessionRows(db, {
    orgId,
    traceConditions: rangeConditions(query),
    after,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(toSummary),
    nextCursor: rows.length > query.limit && last ? encodeCursorValues([last.last_trace_key, last.session_id]) : null,
  };
}

function decodeSessionCursor(cursor: string): { time: string; id: string } {
  const [time, id] = decodeCursorValues(cursor, { count: 2 }) as [string, string];
  return { time: decodeMicrosecondTime(time), id };
}

type PayloadRow = { id: string; input: unknown; output: unknown };

/**
 * What went in and came out of each trace: its own input and output, else its first observation's
 * recorded input and its last one's output (where a gateway call keeps them).
 */
async function payloadsOf(db: Database, orgId: string, traceIds: string[]): Promise<Map<string, PayloadRow>> {
  if (traceIds.length === 0) return new Map();
  const ids = sql.join(
    traceIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const result = (await db.execute(sql`
    select t.id,
      coalesce(t.input, (select o.input from observations o
        where o.org_id = t.org_id and o.trace_id = t.id and o.input is not null
        order by o.start_time, o.id limit 1)) as input,
      coalesce(t.output, (select o.output from observations o
        where o.org_id = t.org_id and o.trace_id = t.id and o.output is not null
        order by o.start_time desc, o.id desc limit 1)) as output
    from traces t where t.org_id = ${orgId} and t.id in (${ids})`)) as { rows: PayloadRow[] };
  return new Map(result.rows.map((row) => [row.id, row]));
}

/**
 * One session with a page of its traces in the order they started, each with its input and
 * output; undefined when the org has no trace in a session by that id.
 */
export async function getSession(
  db: Database,
  orgId: string,
  options: { sessionId: string; limit: number; cursor?: string },
): Promise<SessionDetail | undefined> {
  const [row] = await sessionRows(db, {
    orgId,
    traceConditions: [sql`t.session_id = ${options.sessionId}`],
    limit: 1,
  });
  if (!row) return undefined;
  const page = await listTraces(db, orgId, {
    sessionId: options.sessionId,
    sort: 'startTime',
    limit: options.limit,
    cursor: options.cursor,
  });
  const payloads = await payloadsOf(
    db,
    orgId,
    page.data.map((trace) => trace.id),
  );
  const traces: SessionTurn[] = page.data.map((trace) => {
    const payload = payloads.get(trace.id);
    return { ...trace, input: payload?.input ?? null, output: payload?.output ?? null };
  });
  return { session: toSummary(row), traces, nextCursor: page.nextCursor };
}
