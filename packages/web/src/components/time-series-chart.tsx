import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type ChartSeries = { label: string; values: Array<number | null>; color: string };

type TimeSeriesChartProps = {
  title: string;
  /** Bucket starts, in seconds since the epoch. */
  times: number[];
  series: ChartSeries[];
  formatValue: (value: number) => string;
  height?: number;
};

function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Indices of values with no value on either side: a line has nothing to join them to. */
function isolatedPoints(values: Array<number | null>): number[] | null {
  const isolated = values.flatMap((value, index) =>
    value !== null && (values[index - 1] ?? null) === null && (values[index + 1] ?? null) === null ? [index] : [],
  );
  return isolated.length > 0 ? isolated : null;
}

/** A uPlot line chart that follows its container's width and the page's colours. */
export function TimeSeriesChart({ title, times, series, formatValue, height = 180 }: TimeSeriesChartProps) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const text = cssVariable('--muted');
    const grid = cssVariable('--border');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const chart = new uPlot(
      {
        width: element.clientWidth || 400,
        height,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_self, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
        axes: [axis, { ...axis, size: 60, values: (_self, ticks) => ticks.map((tick) => formatValue(tick)) }],
        series: [
          {},
          ...series.map((line) => ({
            label: line.label,
            stroke: line.color,
            width: 2,
            // Every point on short ranges; on long ones, only values with no neighbour to draw a line to.
            points: {
              show: times.length < 40,
              filter: (_self: uPlot, _index: number, show: boolean) => (show ? null : isolatedPoints(line.values)),
            },
            value: (_self: uPlot, value: number | null) => (value === null ? '—' : formatValue(value)),
          })),
        ],
      },
      [times, ...series.map((line) => line.values)],
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [times, series, formatValue, height]);

  return (
    <figure className="card chart-card">
      <h3>{title}</h3>
      <div ref={container} className="chart" role="img" aria-label={`${title} over time`} />
    </figure>
  );
}
