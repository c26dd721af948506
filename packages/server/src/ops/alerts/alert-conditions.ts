import { type AlertCondition, formatUsd, histogramQuantile, LATENCY_BUCKETS_MS } from '@switchyard/shared';
import { and, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { apiKeys } from '../../db/schema.js';
import { periodStart, type SpendReader } from '../../gateway/index.js';

const HOUR_MS = 3600_000;

/** What one evaluation of a condition found. */
export type Measurement = {
  /** In the condition's unit (percent, ms or USD); null when there is nothing to measure. */
  value: number | null;
  /** The condition holds: the rule should be firing. */
  breached: boolean;
  /** One line a person reads, e.g. `Error rate 12.5% > 5% over 1h (25 of 200 requests)`. */
  summary: string;
};

export type MeasureOptions = {
  db: Database;
  limits: SpendReader;
  orgId: string;
  condition: AlertCondition;
  now: Date;
};

const percent = (value: number) => `${Number(value.toFixed(1))}%`;
const milliseconds = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;
const spendPeriodName = (period: 'day' | 'month') => (period === 'day' ? 'today' : 'this month');

/** The threshold in the condition's unit. */
export function thresholdOf(condition: AlertCondition): number {
  switch (condition.metric) {
    case 'error_rate':
    case 'key_budget':
      return condition.thresholdPercent;
    case 'p95_latency':
      return condition.thresholdMs;
    case 'spend':
      return condition.thresholdUsd;
  }
}

/**
 * Measures a condition from the rollups. Rates and latency fire above their threshold (`>`); spend
 * and budgets at it (`>=`), as a budget is used up when spend reaches it.
 */
export async function measureCondition(options: MeasureOptions): Promise<Measurement> {
  const { condition } = options;
  switch (condition.metric) {
    case 'error_rate':
    case 'p95_latency':
      return measureTraffic({ ...options, condition });
    case 'spend':
      return measureSpend({ ...options, condition });
    case 'key_budget':
      return measureKeyBudgets({ ...options, condition });
  }
}

/**
 * The first hourly bucket of a window: a window of N hours is the current hourly bucket plus the N
 * before it, so a bad hour stays in view for N full hours after it ends.
 */
export function windowStart(now: Date, windowHours: number): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - windowHours * HOUR_MS);
}

// One sum per histogram bucket, added up in Postgres (as the metrics query does).
const HISTOGRAM_SUMS = sql.raw(
  Array.from(
    { length: LATENCY_BUCKETS_MS.length + 1 },
    (_, index) => `coalesce(sum(latency_histogram[${index + 1}]), 0)::float8 as h${index}`,
  ).join(', '),
);

// The fastest and slowest call counted, unknown when a row with timed calls predates the bounds.
const LATENCY_BOUNDS = sql.raw(
  (['min', 'max'] as const)
    .map(
      (bound) =>
        `case when bool_or(latency_ms_${bound} is null and 0 < any(latency_histogram)) then null else ${bound}(latency_ms_${bound}) filter (where 0 < any(latency_histogram)) end as ${bound}`,
    )
    .join(', '),
);

type TrafficCondition = Extract<AlertCondition, { metric: 'error_rate' | 'p95_latency' }>;

async function measureTraffic(options: MeasureOptions & { condition: TrafficCondition }): Promise<Measurement> {
  const { condition, now } = options;
  const result = (await options.db.execute(sql`
    select coalesce(sum(requests::float8), 0) as requests, coalesce(sum(errors::float8), 0) as errors, ${HISTOGRAM_SUMS},
      ${LATENCY_BOUNDS}
    from usage_rollups
    where org_id = ${options.orgId}
      and bucket_start >= ${windowStart(now, condition.windowHours).toISOString()}
      and bucket_start <= ${now.toISOString()}`)) as { rows: Array<Record<string, number | string | null>> };
  const row = result.rows[0] ?? {};
  const requests = Number(row.requests ?? 0);
  const errors = Number(row.errors ?? 0);
  const window = `over ${condition.windowHours}h`;
  const tooFew = requests < condition.minRequests;
  const tooFewNote = `${requests} requests, under the ${condition.minRequests} needed to judge`;

  if (condition.metric === 'error_rate') {
    const value = requests > 0 ? (errors / requests) * 100 : null;
    const breached = !tooFew && value !== null && value > condition.thresholdPercent;
    const comparison = `${breached ? '>' : '≤'} ${percent(condition.thresholdPercent)}`;
    return {
      value,
      breached,
      summary: `Error rate ${percent(value ?? 0)} ${comparison} ${window} (${tooFew ? tooFewNote : `${errors} of ${requests} requests`})`,
    };
  }
  const histogram = Array.from({ length: LATENCY_BUCKETS_MS.length + 1 }, (_, index) => Number(row[`h${index}`] ?? 0));
  const bound = (name: 'min' | 'max') => (row[name] === null || row[name] === undefined ? null : Number(row[name]));
  const value = histogramQuantile(histogram, 0.95, { min: bound('min'), max: bound('max') });
  const breached = !tooFew && value !== null && value > condition.thresholdMs;
  const measured = value === null ? 'unknown' : milliseconds(value);
  return {
    value,
    breached,
    summary: `p95 latency ${measured} ${breached ? '>' : '≤'} ${milliseconds(condition.thresholdMs)} ${window} (${tooFew ? tooFewNote : `${requests} requests`})`,
  };
}

async function measureSpend(
  options: MeasureOptions & { condition: Extract<AlertCondition, { metric: 'spend' }> },
): Promise<Measurement> {
  const { condition, now } = options;
  // Every source counts, as on the dashboard's cost chart: spend an app reports by ingest is spend too.
  const result = (await options.db.execute(sql`
    select coalesce(sum(cost_usd), 0)::float8 as cost
    from usage_rollups_daily
    where org_id = ${options.orgId}
      and bucket_start >= ${periodStart(now.getTime(), condition.period).toISOString()}
      and bucket_start <= ${now.toISOString()}`)) as { rows: Array<{ cost: number | string }> };
  const value = Number(result.rows[0]?.cost ?? 0);
  const breached = value >= condition.thresholdUsd;
  return {
    value,
    breached,
    summary: `Spend ${spendPeriodName(condition.period)} ${formatUsd(value)} ${breached ? '≥' : '<'} ${formatUsd(condition.thresholdUsd)}`,
  };
}

/**
 * Each budgeted live key's spend in its current budget period, read exactly as the gateway's limit
 * guard reads it (its counters, its period, its clock); the value is the highest share.
 */
async function measureKeyBudgets(
  options: MeasureOptions & { condition: Extract<AlertCondition, { metric: 'key_budget' }> },
): Promise<Measurement> {
  const { condition, orgId } = options;
  const keys = await options.db
    .select({ id: apiKeys.id, name: apiKeys.name, budgetUsd: apiKeys.budgetUsd, budgetPeriod: apiKeys.budgetPeriod })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.orgId, orgId),
        isNull(apiKeys.revokedAt),
        isNotNull(apiKeys.budgetPeriod),
        gt(apiKeys.budgetUsd, 0),
        condition.apiKeyId ? eq(apiKeys.id, condition.apiKeyId) : undefined,
      ),
    );
  const shares = await Promise.all(
    keys.map(async (key) => {
      const budgetUsd = key.budgetUsd ?? 0;
      const period = key.budgetPeriod ?? 'month';
      const { spendUsd } = await options.limits.spendThisPeriod({ orgId, keyId: key.id, period });
      return { name: key.name, budgetUsd, period, spendUsd, percent: (spendUsd / budgetUsd) * 100 };
    }),
  );
  shares.sort((a, b) => b.percent - a.percent);
  const highest = shares[0];
  const threshold = condition.thresholdPercent;
  if (!highest) return { value: null, breached: false, summary: 'No live API key with a budget to watch' };
  const over = shares.filter((share) => share.percent >= threshold);
  const describe = (share: (typeof shares)[number]) =>
    `"${share.name}" ${percent(share.percent)} of its ${formatUsd(share.budgetUsd)} ${share.period === 'day' ? 'daily' : 'monthly'} budget (${formatUsd(share.spendUsd)} spent)`;
  return {
    value: highest.percent,
    breached: over.length > 0,
    summary: over.length
      ? `API key budget ≥ ${percent(threshold)}: ${over.map(describe).join(', ')}`
      : `API key budgets < ${percent(threshold)}: the highest is ${describe(highest)}`,
  };
}
