import type { MetricsResponse } from '@switchyard/shared';
import { useMemo } from 'react';
import { type ChartSeries, TimeSeriesChart } from '../../components/time-series-chart.js';
import { formatCount, formatMs, formatUsd, formatUsdCompact } from '../../lib/format.js';
import { bucketStarts, type TimeRange } from '../../lib/time-range.js';

const COLORS = { blue: '#4c6ef5', red: '#fa5252', green: '#40c057', orange: '#fd7e14', violet: '#9775fa' };

type Point = MetricsResponse['points'][number];

/** One value per bucket start; buckets without calls are zero (or null where zero would lie). */
function align(times: number[], points: Point[], read: (point: Point) => number | null, empty: number | null) {
  const byTime = new Map(points.map((point) => [Date.parse(point.time) / 1_000, point]));
  return times.map((time) => {
    const point = byTime.get(time);
    return point ? read(point) : empty;
  });
}

export function OverviewCharts({ range, metrics }: { range: TimeRange; metrics: MetricsResponse }) {
  const charts = useMemo(() => {
    const times = bucketStarts(range);
    const line = (label: string, color: string, read: (point: Point) => number | null, empty: number | null = 0) =>
      ({ label, color, values: align(times, metrics.points, read, empty) }) satisfies ChartSeries;
    return {
      times,
      requests: [
        line('Requests', COLORS.blue, (point) => point.requests),
        line('Errors', COLORS.red, (point) => point.errors),
      ],
      tokens: [
        line('Input', COLORS.violet, (point) => point.inputTokens),
        line('Output', COLORS.green, (point) => point.outputTokens),
      ],
      cost: [line('Cost', COLORS.orange, (point) => point.costUsd)],
      latency: [
        line('p50', COLORS.blue, (point) => point.latencyMs.p50, null),
        line('p95', COLORS.red, (point) => point.latencyMs.p95, null),
      ],
    };
  }, [range, metrics]);

  return (
    <div className="charts">
      <TimeSeriesChart
        title="Requests and errors"
        times={charts.times}
        series={charts.requests}
        formatValue={formatCount}
      />
      <TimeSeriesChart title="Tokens" times={charts.times} series={charts.tokens} formatValue={formatCount} />
      <TimeSeriesChart
        title="Cost"
        times={charts.times}
        series={charts.cost}
        formatValue={formatUsd}
        formatTick={formatUsdCompact}
      />
      <TimeSeriesChart title="Latency" times={charts.times} series={charts.latency} formatValue={formatMs} />
    </div>
  );
}
