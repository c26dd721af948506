import { describe, expect, it } from 'vitest';
import { histogramQuantile, LATENCY_BUCKETS_MS, latencyBucketIndex } from './telemetry.js';

function histogramOf(latencies: number[]): number[] {
  const histogram = new Array(LATENCY_BUCKETS_MS.length + 1).fill(0);
  for (const latency of latencies) histogram[latencyBucketIndex(latency)] += 1;
  return histogram;
}

describe('histogramQuantile', () => {
  it('lands within the bucket holding the true quantile', () => {
    // 100 calls: 90 around 40 ms, 9 around 400 ms, one at 4 s.
    const latencies = [...Array(90).fill(40), ...Array(9).fill(400), 4_000];
    const histogram = histogramOf(latencies);
    const p50 = histogramQuantile(histogram, 0.5) ?? 0;
    const p95 = histogramQuantile(histogram, 0.95) ?? 0;
    const p99 = histogramQuantile(histogram, 0.99) ?? 0;
    expect(p50).toBeGreaterThan(25);
    expect(p50).toBeLessThanOrEqual(50);
    expect(p95).toBeGreaterThan(250);
    expect(p95).toBeLessThanOrEqual(500);
    expect(p99).toBeGreaterThan(250);
    expect(p99).toBeLessThanOrEqual(500);
    expect(histogramQuantile(histogram, 1)).toBeGreaterThan(2_500);
  });

  it('is null for no calls and the lower bound for calls slower than the last bucket', () => {
    expect(histogramQuantile(histogramOf([]), 0.5)).toBeNull();
    expect(histogramQuantile(histogramOf([90_000, 120_000]), 0.5)).toBe(60_000);
  });
});
