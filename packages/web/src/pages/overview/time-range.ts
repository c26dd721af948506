export const RANGES = ['1h', '24h', '7d', '30d', 'custom'] as const;
export type RangeName = (typeof RANGES)[number];

const HOUR_MS = 3_600_000;
const DURATION_MS: Record<Exclude<RangeName, 'custom'>, number> = {
  '1h': HOUR_MS,
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
  '30d': 30 * 24 * HOUR_MS,
};

export type TimeRange = { from: Date; to: Date; bucket: 'hour' | 'day' };

/** The concrete range at this moment: relative ranges end now, so a refetch moves them forward. */
export function resolveRange(options: { name: RangeName; from?: string | null; to?: string | null }): TimeRange {
  const now = new Date();
  if (options.name === 'custom') {
    const from = options.from ? new Date(options.from) : new Date(now.getTime() - DURATION_MS['24h']);
    const to = options.to ? new Date(options.to) : now;
    return { from, to, bucket: to.getTime() - from.getTime() > DURATION_MS['7d'] ? 'day' : 'hour' };
  }
  const from = new Date(now.getTime() - DURATION_MS[options.name]);
  return { from, to: now, bucket: options.name === '30d' ? 'day' : 'hour' };
}

/** Every bucket start in the range (seconds), so hours without calls draw as zero, not as a gap. */
export function bucketStarts(range: TimeRange): number[] {
  const first = new Date(range.from);
  if (range.bucket === 'day') first.setUTCHours(0, 0, 0, 0);
  else first.setUTCMinutes(0, 0, 0);
  const step = range.bucket === 'day' ? 24 * HOUR_MS : HOUR_MS;
  const starts: number[] = [];
  for (let time = first.getTime(); time <= range.to.getTime(); time += step) starts.push(time / 1_000);
  return starts;
}

export function isRangeName(value: string | null): value is RangeName {
  return RANGES.includes(value as RangeName);
}
