/**
 * Upper bounds (ms) of the latency histogram buckets kept in usage rollups; one more bucket counts
 * everything slower. Log-spaced, so p50/p95/p99 read from it are within one bucket of the truth.
 */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000] as const;

/** The histogram index a latency falls into. */
export function latencyBucketIndex(latencyMs: number): number {
  const index = LATENCY_BUCKETS_MS.findIndex((bound) => latencyMs <= bound);
  return index === -1 ? LATENCY_BUCKETS_MS.length : index;
}

export const OBSERVATION_TYPES = ['generation', 'span', 'event', 'tool', 'agent', 'retrieval'] as const;
export type ObservationType = (typeof OBSERVATION_TYPES)[number];
