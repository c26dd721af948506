import type { MetricsResponse } from '@switchyard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import { type RangeName, resolveRange, type TimeRange } from './time-range.js';

export type MetricsGroup = 'provider' | 'model' | 'key';

/**
 * `GET /api/metrics` for a named range. The key holds the range's name, not its timestamps: a
 * refetch (a live update, the window regaining focus) asks again up to now.
 */
export function useMetrics(options: {
  range: RangeName;
  from?: string | null;
  to?: string | null;
  groupBy?: MetricsGroup;
}) {
  return useQuery({
    queryKey: ['metrics', options.range, options.from, options.to, options.groupBy ?? null],
    queryFn: async ({ signal }): Promise<{ range: TimeRange; metrics: MetricsResponse }> => {
      const range = resolveRange({ name: options.range, from: options.from, to: options.to });
      const metrics = await api<MetricsResponse>('/api/metrics', {
        query: {
          from: range.from.toISOString(),
          to: range.to.toISOString(),
          bucket: range.bucket,
          groupBy: options.groupBy,
        },
        signal,
      });
      return { range, metrics };
    },
    placeholderData: (previous) => previous,
  });
}
