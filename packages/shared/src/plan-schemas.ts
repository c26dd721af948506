import { z } from 'zod';
import { type OrgLimits, PLANS } from './plans.js';

export const planSchema = z.enum(PLANS);

export const orgLimitsSchema = z.object({
  requestsPerMinute: z.number().int().positive().nullable(),
  tokensPerMinute: z.number().int().positive().nullable(),
  monthlySpendCapUsd: z.number().positive().nullable(),
  maxConcurrentRequests: z.number().int().positive().nullable(),
  ingestEventsPerMinute: z.number().int().positive().nullable(),
}) satisfies z.ZodType<OrgLimits>;
