import type { EndUserListQuery, EndUserSort, EndUserSummary } from '@switchyard/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { decodeCursorValues, encodeCursorValues } from '../../http/cursor.js';
import { badRequest } from '../../http/http-error.js';
import { decodeMicrosecondTime, microsecondTime } from './microsecond-time.js';

type EndUserRow = {
  user_id: string;
  trace_count: number;
  session_count: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  error_count: number;
  first_seen_at: Date | string;
  last_seen_at: Date | string;
  sort_key: string;
};

const iso = (value: Date | string) => new Date(value).toISOString();

function toSummary(row: EndUserRow): EndUserSummary {
  return {
    userId: row.user_id,
    traceCount: row.trace_count,
    sessionCount: row.session_count,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costUsd: row.cost_usd,
    errorCount: row.error_count,
    firstSeenAt: iso(row.first_seen_at),
    lastSeenAt: iso(row.last_seen_at),
  };
}

/** Each order's key over the `users` rows, and how a cursor's value is typed back. */
const ORDERS: Record<EndUserSort, { key: SQL; text: SQL; typed(value: string): SQL }> = {
  '-lastSeenAt': {
    key: sql`last_seen_at`,
    text: microsecondTime(sql`last_seen_at`),
    typed: (value) => sql`${decodeMicrosecondTime(value)}::timestamptz`,
  },
  '-costUsd': { key: sql`cost_usd`, text: sql`cost_usd::text`, typed: (value) => sql`${numberOf(value)}::float8` },
  '-traceCount': {
    key: sql`trace_count`,
    text: sql`trace_count::text`,
    typed: (value) => sql`${numberOf(value)}::int`,
  },
};

function numberOf(value: string): string {
  if (value !== '' && Number.isFinite(Number(value))) return value;
  throw badRequest('cursor: is not a cursor this API returned', 'cursor');
}

/**
 * Every end user's totals in one grouped query over the org's traces (by the (org_id, user_id)
 * index), each trace's usage read from its observations by the (org_id, trace_id) index.
 */
async function endUserRows(
  db: Database,
  options: {
    orgId: string;
    conditions: SQL[];
    sort: EndUserSort;
    after?: { value: string; id: string };
    limit: number;
  },
): Promise<EndUserRow[]> {
  const order = ORDERS[options.sort];
  const where = sql.join(
    [sql`t.org_id = ${options.orgId}`, sql`t.user_id is not null`, ...options.conditions],
    sql` and `,
  );
  const after = options.after
    ? sql`where (${order.key}, user_id) < (${order.typed(options.after.value)}, ${options.after.id})`
    : sql``;
  const result = (await db.execute(sql`
    with users as (
      select t.user_id, count(*)::int as trace_count, count(distinct t.session_id)::int as session_count,
        coalesce(sum(usage.input_tokens), 0)::float8 as input_tokens,
        coalesce(sum(usage.output_tokens), 0)::float8 as output_tokens,
        coalesce(sum(usage.cost_usd), 0)::float8 as cost_usd,
        (count(*) filter (where usage.has_error))::int as error_count,
        min(t.start_time) as first_seen_at, max(t.start_time) as last_seen_at
      from traces t left join lateral (
        -- A span that repeats a gateway record's model call (duplicate_of) is counted by that record only.
        select sum(o.input_tokens) filter (where o.duplicate_of is null) as input_tokens,
          sum(o.output_tokens) filter (where o.duplicate_of is null) as output_tokens,
          sum(o.cost_usd) filter (where o.duplicate_of is null) as cost_usd, bool_or(o.status = 'error') as has_error
        from observations o where o.org_id = t.org_id and o.trace_id = t.id
      ) usage on true
      where ${where}
      group by t.user_id
    )
    select *, ${order.text} as sort_key from users ${after}
    order by ${order.key} desc, user_id desc
    limit ${options.limit}`)) as { rows: EndUserRow[] };
  return result.rows;
}

/** A page of the org's end users, in the order asked (most recently seen first by default). */
export async function listEndUsers(
  db: Database,
  orgId: string,
  query: EndUserListQuery,
): Promise<{ data: EndUserSummary[]; nextCursor: string | null }> {
  const conditions: SQL[] = [];
  if (query.from) conditions.push(sql`t.start_time >= ${query.from}`);
  if (query.to) conditions.push(sql`t.start_time < ${query.to}`);
  const rows = await endUserRows(db, {
    orgId,
    conditions,
    sort: query.sort,
    after: query.cursor ? decodeEndUserCursor(query.cursor, query.sort) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(toSummary),
    nextCursor:
      rows.length > query.limit && last ? encodeCursorValues([query.sort, last.sort_key, last.user_id]) : null,
  };
}

/** A cursor is only good for the order that made it: another order would skip or repeat users. */
function decodeEndUserCursor(cursor: string, sort: EndUserSort): { value: string; id: string } {
  const problem = 'is not a cursor this API returned for this sort';
  const [madeFor, value, id] = decodeCursorValues(cursor, { count: 3, problem }) as [string, string, string];
  if (madeFor !== sort) throw badRequest(`cursor: ${problem}`, 'cursor');
  return { value, id };
}

/** One end user's totals over all their traces; undefined when the org has no trace of theirs. */
export async function getEndUser(db: Database, orgId: string, userId: string): Promise<EndUserSummary | undefined> {
  const [row] = await endUserRows(db, {
    orgId,
    conditions: [sql`t.user_id = ${userId}`],
    sort: '-lastSeenAt',
    limit: 1,
  });
  return row ? toSummary(row) : undefined;
}
