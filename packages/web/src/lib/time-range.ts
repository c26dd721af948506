export const RANGES = ['1h', '24h', '7d', '30d', 'custom'] as const;
export type RangeName = (typeof RANGES)[number];

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/**
 * Ranges up to this long are charted by the minute. Minutes are read from the calls, not the hourly
 * rollups, so their cost grows with traffic (the server allows up to 6 hours).
 */
const BY_MINUTE_UP_TO_MS = 2 * HOUR_MS;
const DURATION_MS: Record<Exclude<RangeName, 'custom'>, number> = {
  '1h': HOUR_MS,
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
  '30d': 30 * 24 * HOUR_MS,
};

export type TimeRange = { from: Date; to: Date; bucket: 'minute' | 'hour' | 'day' };

function bucketFor(durationMs: number): TimeRange['bucket'] {
  if (durationMs <= BY_MINUTE_UP_TO_MS) return 'minute';
  return durationMs > DURATION_MS['7d'] ? 'day' : 'hour';
}

/** The concrete range at this moment: relative ranges end now, so a refetch moves them forward. */
export function resolveRange(options: { name: RangeName; from?: string | null; to?: string | null }): TimeRange {
  const now = new Date();
  if (options.name === 'custom') {
    const from = options.from ? new Date(options.from) : new Date(now.getTime() - DURATION_MS['24h']);
    const to = options.to ? new Date(options.to) : now;
    return { from, to, bucket: bucketFor(to.getTime() - from.getTime()) };
  }
  const from = new Date(now.getTime() - DURATION_MS[options.name]);
  return { from, to: now, bucket: options.name === '30d' ? 'day' : bucketFor(DURATION_MS[options.name]) };
}

const STEP_MS: Record<TimeRange['bucket'], number> = { minute: MINUTE_MS, hour: HOUR_MS, day: 24 * HOUR_MS };

/** Every bucket start in the range (seconds), so buckets without calls draw as zero, not as a gap. */
export function bucketStarts(range: TimeRange): number[] {
  const first = new Date(range.from);
  if (range.bucket === 'day') first.setUTCHours(0, 0, 0, 0);
  else if (range.bucket === 'hour') first.setUTCMinutes(0, 0, 0);
  else first.setUTCSeconds(0, 0);
  const step = STEP_MS[range.bucket];
  const starts: number[] = [];
  for (let time = first.getTime(); time <= range.to.getTime(); time += step) starts.push(time / 1_000);
  return starts;
}

export function isRangeName(value: string | null): value is RangeName {
  return RANGES.includes(value as RangeName);
}
