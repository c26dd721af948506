import { LIMIT_NAMES, type OrgLimits } from '@switchyard/shared';
import { formatUsd } from './format.js';

export type LimitName = keyof OrgLimits;
export { LIMIT_NAMES };

/** The five limits of an org, as the dashboard names them. */
export const LIMIT_LABELS: Readonly<Record<LimitName, string>> = {
  requestsPerMinute: 'Requests per minute',
  tokensPerMinute: 'Tokens per minute',
  monthlySpendCapUsd: 'Monthly spend cap',
  maxConcurrentRequests: 'Requests in flight',
  ingestEventsPerMinute: 'Telemetry events per minute',
};

const exactCount = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** A limit's value written out in full ("100,000", "$10.00"), or "unlimited" for null. */
export function formatLimit(name: LimitName, value: number | null | undefined): string {
  if (value === null || value === undefined) return 'unlimited';
  return name === 'monthlySpendCapUsd' ? formatUsd(value) : exactCount.format(value);
}

/** The spend cap takes cents; every other limit is a whole number. */
export function limitStep(name: LimitName): string {
  return name === 'monthlySpendCapUsd' ? '0.01' : '1';
}
