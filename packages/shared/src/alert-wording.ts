// How alert rules read, in the dashboard, the CLI and the messages they send. No zod: the
// dashboard imports this.
import type { AlertMetric } from './alert-metrics.js';
import type { AlertCondition } from './alerts.js';
import { formatUsd } from './format.js';

export const METRIC_LABELS: Record<AlertMetric, string> = {
  error_rate: 'Error rate',
  p95_latency: 'p95 latency',
  spend: 'Spend',
  key_budget: 'Key budget used',
};

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A rule's measured value in its condition's unit: "7.5%", "2,340 ms", "$12.00"; null → "—". */
export function formatAlertValue(metric: AlertMetric, value: number | null): string {
  if (value === null) return '—';
  if (metric === 'p95_latency') return `${number.format(Math.round(value))} ms`;
  if (metric === 'spend') return formatUsd(value);
  return `${number.format(value)}%`;
}

const minimum = (requests: number) => `(min ${number.format(requests)} ${requests === 1 ? 'request' : 'requests'})`;

/**
 * The condition as a sentence: "Error rate > 5% over 1 h (min 10 requests)", "Spend ≥ $50.00 per day",
 * "Key “backend” at ≥ 80% of its budget". `keyName` names the key of a key-budget rule.
 */
export function describeCondition(condition: AlertCondition, keyName: (id: string) => string = (id) => id): string {
  switch (condition.metric) {
    case 'error_rate':
      return `Error rate > ${formatAlertValue('error_rate', condition.thresholdPercent)} over ${condition.windowHours} h ${minimum(condition.minRequests)}`;
    case 'p95_latency':
      return `p95 latency > ${formatAlertValue('p95_latency', condition.thresholdMs)} over ${condition.windowHours} h ${minimum(condition.minRequests)}`;
    case 'spend':
      return `Spend ≥ ${formatUsd(condition.thresholdUsd)} per ${condition.period}`;
    case 'key_budget': {
      const subject = condition.apiKeyId ? `Key “${keyName(condition.apiKeyId)}”` : 'A key';
      return `${subject} at ≥ ${formatAlertValue('key_budget', condition.thresholdPercent)} of its budget`;
    }
  }
}

/** Where a rule's notifications go, without the URL's secret path: only its host is shown. */
export function describeWebhook(webhookUrl: string | null): string {
  if (webhookUrl === null) return 'server default (ALERT_WEBHOOK_URL)';
  try {
    return new URL(webhookUrl).host;
  } catch {
    return 'a custom URL';
  }
}
