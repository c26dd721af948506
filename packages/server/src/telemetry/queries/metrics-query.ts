import {
  histogramQuantile,
  LATENCY_BUCKETS_MS,
  type MetricsQuery,
  type MetricsResponse,
  type MetricValues,
} from '@switchyard/shared';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { badRequest } from '../../http/http-error.js';

const DAY_MS = 24 * 3600_000;
/** Ranges up to this long are charted by the hour unless asked otherwise. */
const HOURLY_UP_TO_MS = 7 * DAY_MS;
/** Longest range one query may cover: a year of hourly rollups. */
const MAX_RANGE_MS = 366 * DAY_MS;
/**
 * Minute buckets read the calls themselves, so their range is kept short: at 14k calls an hour, six
 * hours take ~190 ms (bench/ingest/results-metrics.md), and a whole day took ~1.5 s.
 */
const MAX_MINUTE_RANGE_MS = 6 * 3600_000;

const GROUP_COLUMNS = {
  provider: sql`provider`,
  model: sql`model`,
  key: sql`nullif(api_key_id, '')`,
  source: sql`source`,
} as const;

// The same groups read from observations, named as the rollups name them.
const OBSERVATION_GROUP_COLUMNS = {
  provider: sql`coalesce(provider, 'unknown')`,
  model: sql`coalesce(model, 'unknown')`,
  key: sql`api_key_id::text`,
  source: sql`source`,
} as const;

// The rollups' latency histogram, counted from the calls: bucket i holds (bound i-1, bound i].
const HISTOGRAM_COUNTS = sql.raw(
  [...LATENCY_BUCKETS_MS, Number.POSITIVE_INFINITY]
    .map((bound, index) => {
      const lower = index === 0 ? '' : `latency_ms > ${LATENCY_BUCKETS_MS[index - 1]} and `;
      const upper = Number.isFinite(bound) ? `latency_ms <= ${bound}` : 'true';
      return `count(*) filter (where latency_ms is not null and ${lower}${upper})::float8 as h${index}`;
    })
    .join(', '),
);

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
  latency_ms_min: number | null;
  latency_ms_max: number | null;
} & Record<`h${number}`, number>;

// The latency bounds of the rows with timed calls: unknown for the group when one of them has none
// (a rollup written before they were kept), since its calls could lie anywhere in their buckets.
const BOUND_AGGREGATES = sql.raw(
  (['min', 'max'] as const)
    .map(
      (bound) => `case when bool_or(latency_ms_${bound} is null and 0 < any(latency_histogram)) then null
      else ${bound}(latency_ms_${bound}) filter (where 0 < any(latency_histogram)) end as latency_ms_${bound}`,
    )
    .join(', '),
);

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
  const bounds: { min: number | null; max: number | null } = { min: null, max: null };
  let boundsKnown = true;
  for (const row of rows) {
    totals.requests += Number(row.requests);
    totals.errors += Number(row.errors);
    totals.inputTokens += Number(row.input_tokens);
    totals.outputTokens += Number(row.output_tokens);
    totals.cachedInputTokens += Number(row.cached_input_tokens);
    totals.costUsd += Number(row.cost_usd);
    totals.latencySum += Number(row.latency_ms_sum);
    const rowHistogram = histogramOf(row);
    for (const [index, count] of rowHistogram.entries()) histogram[index] = (histogram[index] ?? 0) + count;
    if (!rowHistogram.some((count) => count > 0)) continue;
    const min = row.latency_ms_min === null ? null : Number(row.latency_ms_min);
    const max = row.latency_ms_max === null ? null : Number(row.latency_ms_max);
    if (min === null || max === null) boundsKnown = false;
    if (min !== null) bounds.min = bounds.min === null ? min : Math.min(bounds.min, min);
    if (max !== null) bounds.max = bounds.max === null ? max : Math.max(bounds.max, max);
  }
  const latencyBounds = boundsKnown ? bounds : { min: null, max: null };
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
      p50: histogramQuantile(histogram, 0.5, latencyBounds),
      p95: histogramQuantile(histogram, 0.95, latencyBounds),
      p99: histogramQuantile(histogram, 0.99, latencyBounds),
    },
  };
}

/**
 * Requests, errors, tokens, cost and latency percentiles per time bucket (and group). Hours and
 * days are summed in Postgres from the rollups: the cost of a query grows with hours × groups, never
 * with the number of calls. Minutes are counted from the calls of at most six hours.
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
  const bucket = query.bucket ?? (to.getTime() - from.getTime() <= HOURLY_UP_TO_MS ? 'hour' : 'day');
  const rows =
    bucket === 'minute'
      ? await minuteRows(db, { orgId, from, to, groupBy: query.groupBy })
      : await rollupRows(db, { orgId, from, to, bucket, groupBy: query.groupBy });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket,
    groupBy: query.groupBy ?? null,
    points: rows.map((row) => ({
      time: new Date(row.time).toISOString(),
      group: row.group,
      ...valuesOf([row]),
    })),
    totals: valuesOf(rows),
  };
}

type RowQuery = { orgId: string; from: Date; to: Date; groupBy: MetricsQuery['groupBy'] };

async function rollupRows(
  db: Database,
  { orgId, from, to, bucket, groupBy }: RowQuery & { bucket: 'hour' | 'day' },
): Promise<MetricRow[]> {
  const group = groupBy ? GROUP_COLUMNS[groupBy] : sql`null::text`;
  // Days come from the daily rollups: 30 rows per group for a month, not 720. A day bucket holds the
  // whole UTC day, so a range starting mid-day includes that day.
  const table = bucket === 'day' ? sql.raw('usage_rollups_daily') : sql.raw('usage_rollups');
  const start = bucket === 'day' ? new Date(Math.floor(from.getTime() / DAY_MS) * DAY_MS) : from;
  // Sums of float8, not of bigint: Postgres sums bigints in numeric, several times slower. A group whose
  // calls all moved away (an OpenTelemetry span found to repeat a gateway record) is no point.
  const result = (await db.execute(sql`
    select bucket_start as time, ${group} as group,
      sum(requests::float8) as requests, sum(errors::float8) as errors,
      sum(input_tokens::float8) as input_tokens, sum(output_tokens::float8) as output_tokens,
      sum(cached_input_tokens::float8) as cached_input_tokens, sum(cost_usd) as cost_usd,
      sum(latency_ms_sum) as latency_ms_sum, ${BOUND_AGGREGATES}, ${HISTOGRAM_SUMS}
    from ${table}
    where org_id = ${orgId} and bucket_start >= ${start.toISOString()} and bucket_start < ${to.toISOString()}
    group by 1, 2
    having sum(requests) <> 0
    order by 1, 2`)) as { rows: MetricRow[] };
  return result.rows;
}

/**
 * Per-minute values counted from the generations themselves (rollups are hourly): what a chart of
 * the last hour needs. Served by the (org, start time) index; the range is at most six hours.
 */
async function minuteRows(db: Database, { orgId, from, to, groupBy }: RowQuery): Promise<MetricRow[]> {
  if (to.getTime() - from.getTime() > MAX_MINUTE_RANGE_MS)
    throw badRequest('bucket: minute buckets cover at most 6 hours; use hour or day for longer ranges', 'bucket');
  const group = groupBy ? OBSERVATION_GROUP_COLUMNS[groupBy] : sql`null::text`;
  const result = (await db.execute(sql`
    select date_trunc('minute', start_time) as time, ${group} as group,
      count(*)::float8 as requests, count(*) filter (where status = 'error')::float8 as errors,
      sum(input_tokens::float8) as input_tokens, sum(output_tokens::float8) as output_tokens,
      sum(cached_input_tokens::float8) as cached_input_tokens, coalesce(sum(cost_usd), 0) as cost_usd,
      coalesce(sum(latency_ms), 0) as latency_ms_sum, min(latency_ms) as latency_ms_min,
      max(latency_ms) as latency_ms_max, ${HISTOGRAM_COUNTS}
    from observations
    where org_id = ${orgId} and type = 'generation' and duplicate_of is null
      and start_time >= ${from.toISOString()} and start_time < ${to.toISOString()}
    group by 1, 2
    order by 1, 2`)) as { rows: MetricRow[] };
  return result.rows;
}
