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

export const LIMIT_NAMES = Object.keys(PLAN_DEFAULT_LIMITS.free) as ReadonlyArray<keyof OrgLimits>;

/** The most an org may use: its plan's defaults with the operator's overrides on top. */
export function effectiveOrgLimits(plan: Plan, overrides: Partial<OrgLimits> = {}): OrgLimits {
  return { ...PLAN_DEFAULT_LIMITS[plan], ...overrides };
}

/** The tighter of two limits, where `null` is unlimited. */
export function tighterLimit(first: number | null, second: number | null): number | null {
  if (first === null) return second;
  if (second === null) return first;
  return Math.min(first, second);
}

/**
 * The limits in force: the ceiling (plan + operator overrides), lowered wherever the org's own
 * admins set a tighter limit. An org can only ever narrow what the operator allows.
 */
export function limitsInForce(options: {
  plan: Plan;
  operatorOverrides?: Partial<OrgLimits>;
  selfLimits?: Partial<Record<keyof OrgLimits, number>>;
}): OrgLimits {
  const ceiling = effectiveOrgLimits(options.plan, options.operatorOverrides);
  const inForce = { ...ceiling };
  for (const name of LIMIT_NAMES) inForce[name] = tighterLimit(ceiling[name], options.selfLimits?.[name] ?? null);
  return inForce;
}
