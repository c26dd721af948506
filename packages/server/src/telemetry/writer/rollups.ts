import { LATENCY_BUCKETS_MS, latencyBucketIndex } from '@switchyard/shared';
import { getTableName, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { usageRollups, usageRollupsDaily } from '../../db/telemetry-schema.js';
import type { ObservationRecord } from '../records.js';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

type RollupRow = typeof usageRollups.$inferInsert & {
  latencyHistogram: number[];
  latencyMsMin: number | null;
  latencyMsMax: number | null;
};

/**
 * What changed observations add to the rollups: the new version counted in, the stored one (if any)
 * counted out, so merging an update into a stored generation moves its tokens, cost and latency to
 * where they belong instead of counting it twice. Rows that net to nothing are left out.
 */
export function aggregateRollupChanges(
  changes: ReadonlyArray<{ before?: ObservationRecord | undefined; after: ObservationRecord }>,
): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  for (const { before, after } of changes) {
    if (before) addContribution(rows, before, -1);
    addContribution(rows, after, 1);
  }
  // A fixed order, so concurrent writers lock rows in the same order and cannot deadlock.
  return [...rows.entries()]
    .filter(([, row]) => !isEmpty(row))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
}

// As the bulk insert stores them (U+0000 and unpaired surrogates become U+FFFD): a rollup key Postgres
// refuses would fail its whole batch on every retry.
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is the character Postgres refuses
const storableText = (text: string) => text.replace(/[\u0000\p{Cs}]/gu, '\ufffd');

function addContribution(rows: Map<string, RollupRow>, observation: ObservationRecord, sign: 1 | -1): void {
  // A span that a gateway record also describes is counted by that record, not again here.
  if (observation.type !== 'generation' || observation.duplicateOf) return;
  const bucketStart = new Date(Math.floor(observation.startTime.getTime() / HOUR_MS) * HOUR_MS);
  const provider = storableText(observation.provider ?? 'unknown');
  const model = storableText(observation.model ?? 'unknown');
  const apiKeyId = observation.apiKeyId ?? '';
  const source = observation.source ?? 'gateway';
  const key = [observation.orgId, bucketStart.getTime(), provider, model, apiKeyId, source].join('\u0000');
  let row = rows.get(key);
  if (!row) {
    row = {
      orgId: observation.orgId,
      bucketStart,
      provider,
      model,
      apiKeyId,
      source,
      requests: 0,
      errors: 0,
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      costUsd: 0,
      latencyMsSum: 0,
      latencyHistogram: new Array(LATENCY_BUCKETS_MS.length + 1).fill(0),
      latencyMsMin: null,
      latencyMsMax: null,
    };
    rows.set(key, row);
  }
  row.requests += sign;
  if (observation.status === 'error') row.errors += sign;
  row.inputTokens += sign * observation.inputTokens;
  row.outputTokens += sign * observation.outputTokens;
  row.cachedInputTokens += sign * observation.cachedInputTokens;
  row.costUsd += sign * (observation.costUsd ?? 0);
  if (observation.latencyMs !== null && observation.latencyMs !== undefined) {
    row.latencyMsSum += sign * observation.latencyMs;
    const bucket = latencyBucketIndex(observation.latencyMs);
    row.latencyHistogram[bucket] = (row.latencyHistogram[bucket] ?? 0) + sign;
    // Bounds only widen: a latency counted out may leave them wider than the calls, never narrower.
    if (sign === 1) widenBounds(row, observation.latencyMs, observation.latencyMs);
  }
}

function widenBounds(row: RollupRow, min: number | null, max: number | null): void {
  if (min !== null) row.latencyMsMin = row.latencyMsMin === null ? min : Math.min(row.latencyMsMin, min);
  if (max !== null) row.latencyMsMax = row.latencyMsMax === null ? max : Math.max(row.latencyMsMax, max);
}

function isEmpty(row: RollupRow): boolean {
  return (
    row.requests === 0 &&
    row.errors === 0 &&
    row.inputTokens === 0 &&
    row.outputTokens === 0 &&
    row.cachedInputTokens === 0 &&
    Math.abs(row.costUsd) < 1e-12 &&
    Math.abs(row.latencyMsSum) < 1e-9 &&
    row.latencyHistogram.every((count) => count === 0)
  );
}

/**
 * Adds the rows to the hourly rollups and to the daily ones, element-wise for the histograms; the
 * latency bounds take the lower minimum and the higher maximum.
 */
export async function upsertRollups(db: Database, rows: RollupRow[]): Promise<void> {
  if (rows.length === 0) return;
  await upsertInto(db, usageRollups, rows);
  await upsertInto(db, usageRollupsDaily, toDays(rows));
}

/** The hourly rows summed per UTC day, in the same fixed key order. */
function toDays(rows: readonly RollupRow[]): RollupRow[] {
  const days = new Map<string, RollupRow>();
  for (const row of rows) {
    const bucketStart = new Date(Math.floor(row.bucketStart.getTime() / DAY_MS) * DAY_MS);
    const key = [row.orgId, bucketStart.getTime(), row.provider, row.model, row.apiKeyId, row.source].join('\u0000');
    const day = days.get(key);
    if (!day) {
      days.set(key, { ...row, bucketStart, latencyHistogram: [...row.latencyHistogram] });
      continue;
    }
    day.requests += row.requests;
    day.errors += row.errors;
    day.inputTokens += row.inputTokens;
    day.outputTokens += row.outputTokens;
    day.cachedInputTokens += row.cachedInputTokens;
    day.costUsd += row.costUsd;
    day.latencyMsSum += row.latencyMsSum;
    for (const [index, count] of row.latencyHistogram.entries())
      day.latencyHistogram[index] = (day.latencyHistogram[index] ?? 0) + count;
    widenBounds(day, row.latencyMsMin, row.latencyMsMax);
  }
  return [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

async function upsertInto(db: Database, table: typeof usageRollups | typeof usageRollupsDaily, rows: RollupRow[]) {
  const name = getTableName(table);
  const add = (column: keyof typeof usageRollups.$inferSelect) =>
    sql.raw(`${name}.${toSnake(column)} + excluded.${toSnake(column)}`);
  await db
    .insert(table)
    .values(rows)
    .onConflictDoUpdate({
      target: [table.orgId, table.bucketStart, table.provider, table.model, table.apiKeyId, table.source],
      set: {
        requests: add('requests'),
        errors: add('errors'),
        inputTokens: add('inputTokens'),
        outputTokens: add('outputTokens'),
        cachedInputTokens: add('cachedInputTokens'),
        costUsd: add('costUsd'),
        latencyMsSum: add('latencyMsSum'),
        latencyHistogram: sql.raw(`(select array_agg(coalesce(mine, 0) + coalesce(theirs, 0) order by position)
          from unnest(${name}.latency_histogram, excluded.latency_histogram) with ordinality as pairs(mine, theirs, position))`),
        latencyMsMin: mergedBound(name, 'min'),
        latencyMsMax: mergedBound(name, 'max'),
      },
    });
}

/**
 * A stored row with no timed calls takes the new bounds; one with timed calls but no bounds (written
 * before they were kept) stays unknown, since its calls could lie anywhere in their buckets.
 */
function mergedBound(name: string, bound: 'min' | 'max') {
  const column = `latency_ms_${bound}`;
  const pick = bound === 'min' ? 'least' : 'greatest';
  return sql.raw(`case when not (0 < any(${name}.latency_histogram)) then excluded.${column}
    when ${name}.${column} is null then null
    else ${pick}(${name}.${column}, excluded.${column}) end`);
}

function toSnake(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
