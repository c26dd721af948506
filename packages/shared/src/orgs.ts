import { z } from 'zod';
import { orgLimitsSchema, planSchema } from './plan-schemas.js';

export const orgSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  plan: planSchema,
  /** The limits in force: plan defaults with this org's overrides. */
  limits: orgLimitsSchema,
  /** Whether gateway records keep request and response bodies. */
  logPayloads: z.boolean(),
  createdAt: z.string(),
});
export type Org = z.infer<typeof orgSchema>;

export const createOrgBodySchema = z.object({ name: z.string().trim().min(1).max(100) });

export const updateOrgBodySchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  plan: planSchema.optional(),
  limits: orgLimitsSchema.partial().optional(),
  logPayloads: z.boolean().optional(),
});
