import { z } from 'zod';
import { BUDGET_PERIODS } from './api-keys.js';
import { orgLimitsSchema, planSchema } from './plan-schemas.js';

/**
 * What the gateway counted in the current minute. `null` where no limit applies (the gateway counts
 * only what it limits) or while the kv is unreachable.
 */
const usedThisMinuteSchema = z.object({
  requestsThisMinute: z.number().int().nonnegative().nullable(),
  tokensThisMinute: z.number().int().nonnegative().nullable(),
});

export const orgUsageSchema = usedThisMinuteSchema.extend({
  /** Gateway spend this calendar month (UTC), as the monthly spend cap counts it. */
  spendThisMonthUsd: z.number().nonnegative(),
  periodStart: z.string(),
  periodEnd: z.string(),
});
export type OrgUsage = z.infer<typeof orgUsageSchema>;

export const keyUsageSchema = usedThisMinuteSchema.extend({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  budgetUsd: z.number().nullable(),
  budgetPeriod: z.enum(BUDGET_PERIODS).nullable(),
  /** Spend in the budget's current period (this calendar month when the key has no budget). */
  spendThisPeriodUsd: z.number().nonnegative(),
  periodStart: z.string(),
  periodEnd: z.string(),
  requestsPerMinute: z.number().nullable(),
  tokensPerMinute: z.number().nullable(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type KeyUsage = z.infer<typeof keyUsageSchema>;

/** `GET /api/usage`: the org's plan and limits, what is used of them now, and each live key's share. */
export const usageResponseSchema = z.object({
  plan: planSchema,
  /** The limits in force: the plan's defaults with the org's overrides. */
  limits: orgLimitsSchema,
  org: orgUsageSchema,
  /** Keys that are not revoked, newest first. */
  keys: z.array(keyUsageSchema),
  generatedAt: z.string(),
});
export type UsageResponse = z.infer<typeof usageResponseSchema>;
