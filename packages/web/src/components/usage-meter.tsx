import { formatPercent } from '../lib/format.js';

const WARN_RATIO = 0.8;

type MeterLevel = 'ok' | 'warn' | 'danger';

function levelOf(used: number, limit: number): MeterLevel {
  if (used >= limit) return 'danger';
  return used > limit * WARN_RATIO ? 'warn' : 'ok';
}

/** A bar of `used` against `limit` that screen readers announce as "$3.10 of $5.00". */
export function UsageMeter(props: { label: string; used: number; limit: number; format: (value: number) => string }) {
  const { used, limit, format } = props;
  const fraction = limit > 0 ? Math.min(used / limit, 1) : 1;
  return (
    <div
      className="usage-meter"
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={limit}
      aria-valuenow={Math.min(used, limit)}
      aria-valuetext={`${format(used)} of ${format(limit)} (${formatPercent(used, limit)})`}
      data-level={levelOf(used, limit)}
    >
      <span style={{ width: `${fraction * 100}%` }} />
    </div>
  );
}
