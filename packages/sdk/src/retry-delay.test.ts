import { describe, expect, it } from 'vitest';
import { isRetryableStatus, MAX_RETRY_DELAY_MS, retryDelayMs } from './retry-delay.js';

describe('retryDelayMs', () => {
  it('doubles the ceiling per attempt, with full jitter', () => {
    const top = () => 0.999_999;
    expect([0, 1, 2, 3].map((attempt) => retryDelayMs({ attempt, baseDelayMs: 100, random: top }))).toEqual([
      100, 200, 400, 800,
    ]);
    expect(retryDelayMs({ attempt: 3, baseDelayMs: 100, random: () => 0.5 })).toBe(400);
    expect(retryDelayMs({ attempt: 30, baseDelayMs: 100, random: top })).toBe(MAX_RETRY_DELAY_MS);
  });

  it('honours retry-after, in seconds or as an HTTP date, up to the cap', () => {
    expect(retryDelayMs({ attempt: 0, baseDelayMs: 100, retryAfter: '7' })).toBe(7_000);
    const now = () => Date.parse('2026-01-01T00:00:00Z');
    expect(retryDelayMs({ attempt: 0, baseDelayMs: 100, retryAfter: 'Thu, 01 Jan 2026 00:00:03 GMT', now })).toBe(
      3_000,
    );
    expect(retryDelayMs({ attempt: 0, baseDelayMs: 100, retryAfter: '3600' })).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs({ attempt: 0, baseDelayMs: 100, retryAfter: 'soon', random: () => 0.5 })).toBe(50);
  });

  it('retries timeouts, conflicts, rate limits and server errors only', () => {
    expect([408, 409, 429, 500, 503].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 413, 422].some(isRetryableStatus)).toBe(false);
  });
});
