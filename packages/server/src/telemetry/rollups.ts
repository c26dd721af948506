import { LATENCY_BUCKETS_MS, latencyBucketIndex } from '@switchyard/shared';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { usageRollups } from '../db/telemetry-schema.js';
import type { ObservationRecord } from './records.js';

const HOUR_MS = 3600_000;

type RollupRow = typeof usageRollups.$inferInsert & { latencyHistogram: number[] };

/** Sums generations per (org, hour, provider, model, key): one row per key, ready to upsert. */
export function aggregateRollups(observations: readonly ObservationRecord[]): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  for (const observation of observations) {
    if (observation.type !== 'generation') continue;
    const bucketStart = new Date(Math.floor(observation.startTime.getTime() / HOUR_MS) * HOUR_MS);
    const provider = observation.provider ?? 'unknown';
    const model = observation.model ?? 'unknown';
    const apiKeyId = observation.apiKeyId ?? '';
    const key = [observation.orgId, bucketStart.getTime(), provider, model, apiKeyId].join('\u0000');
    let row = rows.get(key);
    if (!row) {
      row = {
        orgId: observation.orgId,
        bucketStart,
        provider,
        model,
        apiKeyId,
        requests: 0,
        errors: 0,
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        costUsd: 0,
        latencyMsSum: 0,
        latencyHistogram: new Array(LATENCY_BUCKETS_MS.length + 1).fill(0),
      };
      rows.set(key, row);
    }
    row.requests += 1;
    if (observation.status === 'error') row.errors += 1;
    row.inputTokens += observation.inputTokens;
    row.outputTokens += observation.outputTokens;
    row.cachedInputTokens += observation.cachedInputTokens;
    row.costUsd += observation.costUsd ?? 0;
    if (observation.latencyMs !== null && observation.latencyMs !== undefined) {
      row.latencyMsSum += observation.latencyMs;
      const bucket = latencyBucketIndex(observation.latencyMs);
      row.latencyHistogram[bucket] = (row.latencyHistogram[bucket] ?? 0) + 1;
    }
  }
  // A fixed order, so concurrent writers lock rows in the same order and cannot deadlock.
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** Adds the rows to the rollups, element-wise for the histograms. */
export async function upsertRollups(db: Database, rows: RollupRow[]): Promise<void> {
  if (rows.length === 0) return;
  const add = (column: keyof typeof usageRollups.$inferSelect) =>
    sql.raw(`usage_rollups.${toSnake(column)} + excluded.${toSnake(column)}`);
  await db
    .insert(usageRollups)
    .values(rows)
    .onConflictDoUpdate({
      target: [
        usageRollups.orgId,
        usageRollups.bucketStart,
        usageRollups.provider,
        usageRollups.model,
        usageRollups.apiKeyId,
      ],
      set: {
        requests: add('requests'),
        errors: add('errors'),
        inputTokens: add('inputTokens'),
        outputTokens: add('outputTokens'),
        cachedInputTokens: add('cachedInputTokens'),
        costUsd: add('costUsd'),
        latencyMsSum: add('latencyMsSum'),
        latencyHistogram: sql`(select array_agg(coalesce(mine, 0) + coalesce(theirs, 0) order by position)
          from unnest(usage_rollups.latency_histogram, excluded.latency_histogram) with ordinality as pairs(mine, theirs, position))`,
      },
    });
}

function toSnake(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
