import { z } from 'zod';

export const PLANS = ['free', 'pro', 'enterprise'] as const;
export const planSchema = z.enum(PLANS);
export type Plan = z.infer<typeof planSchema>;

/** What an org may do per minute and spend per month; `null` means unlimited. */
export const orgLimitsSchema = z.object({
  requestsPerMinute: z.number().int().positive().nullable(),
  tokensPerMinute: z.number().int().positive().nullable(),
  monthlySpendCapUsd: z.number().positive().nullable(),
  /** Gateway requests in flight at once. */
  maxConcurrentRequests: z.number().int().positive().nullable(),
  /** Telemetry events (ingest API and OTLP spans) accepted per minute. */
  ingestEventsPerMinute: z.number().int().positive().nullable(),
});
export type OrgLimits = z.infer<typeof orgLimitsSchema>;

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
