import type { MetricValues } from '@switchyard/shared';
import { StatList } from '../../components/stat-list.js';
import { formatCount, formatMs, formatPercent, formatUsd } from '../../lib/format.js';

export function StatCards({ totals }: { totals: MetricValues }) {
  const stats = [
    { label: 'Requests', value: formatCount(totals.requests), testId: 'stat-requests' },
    {
      label: 'Errors',
      value: `${formatCount(totals.errors)} (${formatPercent(totals.errors, totals.requests)})`,
      testId: 'stat-errors',
    },
    { label: 'Tokens', value: formatCount(totals.inputTokens + totals.outputTokens), testId: 'stat-tokens' },
    { label: 'Cost', value: formatUsd(totals.costUsd), testId: 'stat-cost' },
    { label: 'Latency p50', value: formatMs(totals.latencyMs.p50), testId: 'stat-p50' },
    { label: 'Latency p95', value: formatMs(totals.latencyMs.p95), testId: 'stat-p95' },
  ];
  return <StatList stats={stats} />;
}
