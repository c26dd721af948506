import {
  histogramQuantile,
  LATENCY_BUCKETS_MS,
  type MetricsQuery,
  type MetricsResponse,
  type MetricValues,
} from '@switchyard/shared';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { badRequest } from '../http/http-error.js';

const DAY_MS = 24 * 3600_000;
/** Ranges up to this long are charted by the hour unless asked otherwise. */
const HOURLY_UP_TO_MS = 7 * DAY_MS;
/** Longest range one query may cover: a year of hourly rollups. */
const MAX_RANGE_MS = 366 * DAY_MS;

const GROUP_COLUMNS = {
  provider: sql`provider`,
  model: sql`model`,
  key: sql`nullif(api_key_id, '')`,
  source: sql`source`,
} as const;

// One sum per histogram bucket: Postgres adds arrays element-wise only this way, and it is fast.
const HISTOGRAM_SUMS = sql.raw(
  Array.from(
    { length: LATENCY_BUCKETS_MS.length + 1 },
    (_, index) => `sum(latency_histogram[${index + 1}])::float8 as h${index}`,
  ).join(', '),
);

type MetricRow = {
  time: Date | string;
  group: string | null;
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cost_usd: number;
  latency_ms_sum: number;
} & Record<`h${number}`, number>;

function histogramOf(row: MetricRow): number[] {
  return Array.from({ length: LATENCY_BUCKETS_MS.length + 1 }, (_, index) => Number(row[`h${index}`] ?? 0));
}

function valuesOf(rows: readonly MetricRow[]): MetricValues {
  const histogram = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  const totals = {
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    costUsd: 0,
    latencySum: 0,
  };
  for (const row of rows) {
    totals.requests += Number(row.requests);
    totals.errors += Number(row.errors);
    totals.inputTokens += Number(row.input_tokens);
    totals.outputTokens += Number(row.output_tokens);
    totals.cachedInputTokens += Number(row.cached_input_tokens);
    totals.costUsd += Number(row.cost_usd);
    totals.latencySum += Number(row.latency_ms_sum);
    for (const [index, count] of histogramOf(row).entries()) histogram[index] = (histogram[index] ?? 0) + count;
  }
  const timed = histogram.reduce((sum, count) => sum + count, 0);
  return {
    requests: totals.requests,
    errors: totals.errors,
    inputTokens: totals.inputTokens,
    outputTokens: totals.outputTokens,
    cachedInputTokens: totals.cachedInputTokens,
    costUsd: totals.costUsd,
    latencyMs: {
      avg: timed ? totals.latencySum / timed : null,
      p50: histogramQuantile(histogram, 0.5),
      p95: histogramQuantile(histogram, 0.95),
      p99: histogramQuantile(histogram, 0.99),
    },
  };
}

/**
 * Requests, errors, tokens, cost and latency percentiles per time bucket (and group), summed in
 * Postgres from the hourly `usage_rollups`: the cost of a query grows with hours × groups, never
 * with the number of calls.
 */
export async function queryMetrics(
  db: Database,
  orgId: string,
  query: MetricsQuery,
  now: Date,
): Promise<MetricsResponse> {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DAY_MS);
  if (from >= to) throw badRequest('from: must be before to', 'from');
  if (to.getTime() - from.getTime() > MAX_RANGE_MS)
    throw badRequest('from: the range may cover at most 366 days', 'from');
  const group = query.groupBy ? GROUP_COLUMNS[query.groupBy] : sql`null::text`;
  const bucket = query.bucket ?? (to.getTime() - from.getTime() <= HOURLY_UP_TO_MS ? 'hour' : 'day');
  // Days come from the daily rollups: 30 rows per group for a month, not 720. A day bucket holds the
  // whole UTC day, so a range starting mid-day includes that day.
  const table = bucket === 'day' ? sql.raw('usage_rollups_daily') : sql.raw('usage_rollups');
  const start = bucket === 'day' ? new Date(Math.floor(from.getTime() / DAY_MS) * DAY_MS) : from;
  // Sums of float8, not of bigint: Postgres sums bigints in numeric, several times slower.
  const result = (await db.execute(sql`
    select bucket_start as time, ${group} as group,
      sum(requests::float8) as requests, sum(errors::float8) as errors,
      sum(input_tokens::float8) as input_tokens, sum(output_tokens::float8) as output_tokens,
      sum(cached_input_tokens::float8) as cached_input_tokens, sum(cost_usd) as cost_usd,
      sum(latency_ms_sum) as latency_ms_sum, ${HISTOGRAM_SUMS}
    from ${table}
    where org_id = ${orgId} and bucket_start >= ${start.toISOString()} and bucket_start < ${to.toISOString()}
    group by 1, 2
    order by 1, 2`)) as { rows: MetricRow[] };
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket,
    groupBy: query.groupBy ?? null,
    points: result.rows.map((row) => ({
      time: new Date(row.time).toISOString(),
      group: row.group,
      ...valuesOf([row]),
    })),
    totals: valuesOf(result.rows),
  };
}
