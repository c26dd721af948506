/** What an alert rule watches. Plain constants (no zod), so the dashboard can list them cheaply. */
export const ALERT_METRICS = ['error_rate', 'p95_latency', 'spend', 'key_budget'] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

export const ALERT_STATES = ['ok', 'firing'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Spend rules add up a calendar period (UTC), like budgets do. */
export const SPEND_PERIODS = ['day', 'month'] as const;
export type SpendPeriod = (typeof SPEND_PERIODS)[number];
