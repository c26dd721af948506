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

describe('histogramQuantile with the observed minimum and maximum', () => {
  const boundsOf = (latencies: number[]) => ({ min: Math.min(...latencies), max: Math.max(...latencies) });

  it('reads one call as its own latency at every quantile', () => {
    const histogram = histogramOf([1_200]);
    for (const quantile of [0.5, 0.95, 0.99])
      expect(histogramQuantile(histogram, quantile, boundsOf([1_200]))).toBe(1_200);
  });

  it('interpolates between the minimum and maximum when they share a bucket', () => {
    const latencies = [1_200, 1_300, 2_000];
    const histogram = histogramOf(latencies);
    const read = (quantile: number) => histogramQuantile(histogram, quantile, boundsOf(latencies)) ?? 0;
    expect(read(0.5)).toBeCloseTo(1_600, 6);
    expect(read(0.99)).toBeCloseTo(1_992, 6);
    for (const quantile of [0, 0.01, 0.5, 0.95, 0.99, 1]) {
      expect(read(quantile)).toBeGreaterThanOrEqual(1_200);
      expect(read(quantile)).toBeLessThanOrEqual(2_000);
    }
  });

  it('narrows only the first and last buckets, and reads the overflow bucket up to the maximum', () => {
    const latencies = [30, 40, 400, 90_000];
    const histogram = histogramOf(latencies);
    const bounds = boundsOf(latencies);
    // 30 and 40 share (25, 50]: the first bucket starts at 30.
    expect(histogramQuantile(histogram, 0.25, bounds)).toBeCloseTo(40, 6);
    // 400 is alone in (250, 500], a middle bucket: its bounds stay the bucket's.
    expect(histogramQuantile(histogram, 0.75, bounds)).toBe(500);
    expect(histogramQuantile(histogram, 1, bounds)).toBe(90_000);
  });
});
