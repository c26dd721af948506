// Plain constants, no zod: the dashboard imports these without loading the schema library.

export const PLANS = ['free', 'pro', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

/** What an org may do per minute and spend per month; `null` means unlimited. */
export type OrgLimits = {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  monthlySpendCapUsd: number | null;
  /** Gateway requests in flight at once. */
  maxConcurrentRequests: number | null;
  /** Telemetry events (ingest API and OTLP spans) accepted per minute. */
  ingestEventsPerMinute: number | null;
};

export const PLAN_DEFAULT_LIMITS: Readonly<Record<Plan, OrgLimits>> = {
  free: {
    requestsPerMinute: 60,
    tokensPerMinute: 100_000,
    monthlySpendCapUsd: 10,
    maxConcurrentRequests: 10,
    ingestEventsPerMinute: 10_000,
  },
  pro: {
    requestsPerMinute: 1_000,
    tokensPerMinute: 2_000_000,
    monthlySpendCapUsd: 1_000,
    maxConcurrentRequests: 100,
    ingestEventsPerMinute: 200_000,
  },
  enterprise: {
    requestsPerMinute: null,
    tokensPerMinute: null,
    monthlySpendCapUsd: null,
    maxConcurrentRequests: null,
    ingestEventsPerMinute: null,
  },
};

/** An org's limits: its plan's defaults with its own overrides on top. */
export function effectiveOrgLimits(plan: Plan, overrides: Partial<OrgLimits> = {}): OrgLimits {
  return { ...PLAN_DEFAULT_LIMITS[plan], ...overrides };
}
