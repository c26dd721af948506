import type { MetricsResponse } from '@switchyard/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { type RangeName, resolveRange, type TimeRange } from '../lib/time-range.js';
import { getMetrics } from './metrics.js';
import { METRICS_KEY } from './query-keys.js';

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
    queryKey: [...METRICS_KEY, options.range, options.from, options.to, options.groupBy ?? null],
    queryFn: async ({ signal }): Promise<{ range: TimeRange; metrics: MetricsResponse }> => {
      const range = resolveRange({ name: options.range, from: options.from, to: options.to });
      const metrics = await getMetrics(
        { from: range.from.toISOString(), to: range.to.toISOString(), bucket: range.bucket, groupBy: options.groupBy },
        { signal },
      );
      return { range, metrics };
    },
    placeholderData: (previous) => previous,
  });
}

/** After new telemetry arrived (the live feed): every metrics query is read again. */
export function useMetricsChanged() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: METRICS_KEY }), [queryClient]);
}
