import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatShortTime } from '../lib/format.js';
import { axisSize } from './chart-axis-size.js';

export type ChartSeries = { label: string; values: Array<number | null>; color: string };

type TimeSeriesChartProps = {
  title: string;
  /** Bucket starts, in seconds since the epoch. */
  times: number[];
  series: ChartSeries[];
  /** Values in the legend, on hover. */
  formatValue: (value: number) => string;
  /** Tick labels of the value axis, where room is short; formatValue when absent. */
  formatTick?: (value: number) => string;
  height?: number;
};

const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

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

/** The series' names; on hover, the bucket's time and each series' value in it. */
function ChartLegend({
  times,
  series,
  index,
  formatValue,
}: {
  times: number[];
  series: ChartSeries[];
  index: number | null;
  formatValue: (value: number) => string;
}) {
  const time = index === null ? undefined : times[index];
  return (
    <div className="chart-legend" data-testid="chart-legend">
      {time !== undefined && (
        <span className="chart-legend-time">{formatShortTime(new Date(time * 1_000).toISOString())}</span>
      )}
      {series.map((line) => {
        const value = index === null ? undefined : line.values[index];
        return (
          <span key={line.label} className="chart-legend-item">
            <span className="chart-swatch" style={{ background: line.color }} aria-hidden="true" />
            {line.label}
            {value !== undefined && (
              <strong className="chart-legend-value">{value === null ? 'no calls' : formatValue(value)}</strong>
            )}
          </span>
        );
      })}
    </div>
  );
}

/** A uPlot line chart that follows its container's width and the page's colours. */
export function TimeSeriesChart({ title, times, series, formatValue, formatTick, height = 180 }: TimeSeriesChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const [hoverIndex, setHoverIndex] = useState<number | null>(null);
  const tickFormat = formatTick ?? formatValue;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const text = cssVariable('--muted');
    const grid = cssVariable('--border');
    const axis = { stroke: text, font: AXIS_FONT, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const chart = new uPlot(
      {
        width: element.clientWidth || 400,
        height,
        // Room on the right for the last point and the last time label, which uPlot centres on its tick.
        padding: [8, 16, 0, 0],
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        hooks: { setCursor: [(self) => setHoverIndex(self.cursor.idx ?? null)] },
        scales: { x: { time: true }, y: { range: (_self, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
        axes: [
          axis,
          {
            ...axis,
            size: (self, values, axisIndex) => axisSize({ self, values, axisIndex, font: AXIS_FONT }),
            values: (_self, ticks) => ticks.map((tick) => tickFormat(tick)),
          },
        ],
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
  }, [times, series, tickFormat, height]);

  return (
    <figure className="card chart-card">
      <h3>{title}</h3>
      <div ref={container} className="chart" role="img" aria-label={`${title} over time`} />
      <ChartLegend times={times} series={series} index={hoverIndex} formatValue={formatValue} />
    </figure>
  );
}
