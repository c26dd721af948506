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

/** The lowest and highest latency counted in a histogram, where known. */
export type LatencyBounds = { min: number | null; max: number | null };

/**
 * The `quantile` (0..1) of latencies counted in a LATENCY_BUCKETS_MS histogram, interpolated
 * linearly inside the bucket it falls in. Known `bounds` narrow the first and last buckets to the
 * observed minimum and maximum (one call of 1,200 ms reads 1,200 at every quantile), and the answer
 * never leaves them; without them the overflow bucket answers its lower bound. Null when empty.
 */
export function histogramQuantile(
  histogram: readonly number[],
  quantile: number,
  bounds: LatencyBounds = { min: null, max: null },
): number | null {
  const total = histogram.reduce((sum, count) => sum + Math.max(0, count), 0);
  if (total <= 0) return null;
  const rank = quantile * total;
  let seen = 0;
  for (const [index, count] of histogram.entries()) {
    if (count <= 0 || seen + count < rank) {
      seen += Math.max(0, count);
      continue;
    }
    const bucketLower = index === 0 ? 0 : (LATENCY_BUCKETS_MS[index - 1] ?? 0);
    const bucketUpper = LATENCY_BUCKETS_MS[index] ?? bounds.max;
    if (bucketUpper === null) return clamp(bucketLower, bounds);
    const lower = bounds.min === null ? bucketLower : Math.max(bucketLower, bounds.min);
    const upper = bounds.max === null ? bucketUpper : Math.min(bucketUpper, bounds.max);
    // Bounds that miss the bucket (a row whose counts moved away) say nothing about it.
    const [from, to] = lower <= upper ? [lower, upper] : [bucketLower, bucketUpper];
    return clamp(from + ((to - from) * (rank - seen)) / count, bounds);
  }
  return clamp(LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1] ?? 0, bounds);
}

function clamp(value: number, bounds: LatencyBounds): number {
  const atLeast = bounds.min === null ? value : Math.max(value, bounds.min);
  return bounds.max === null ? atLeast : Math.min(atLeast, bounds.max);
}
