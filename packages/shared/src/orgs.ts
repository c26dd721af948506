import { z } from 'zod';
import { orgLimitsSchema, planSchema } from './plan-schemas.js';

export const orgSuspensionSchema = z.object({ at: z.string(), reason: z.string().nullable() });

export const orgSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  plan: planSchema,
  /** The limits in force: the plan's, with the operator's overrides, lowered where the org set its own. */
  limits: orgLimitsSchema,
  /** The most this org may use (its plan with the operator's overrides); its own limits stay below. */
  planLimits: orgLimitsSchema,
  /** Limits the org's admins set below `planLimits`. */
  selfLimits: orgLimitsSchema.partial(),
  /** Whether gateway records keep request and response bodies. */
  logPayloads: z.boolean(),
  /** Set by the server's operator: keys stop working and members can only read. */
  suspended: orgSuspensionSchema.nullable(),
  createdAt: z.string(),
});
export type Org = z.infer<typeof orgSchema>;

export const createOrgBodySchema = z.object({ name: z.string().trim().min(1).max(100) });

export const updateOrgBodySchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  /** Accepted only to say who changes it: the operator (PATCH /api/operator/orgs/:id). */
  plan: planSchema.optional().describe("The plan is the server operator's to change; sending another one is a 403"),
  limits: orgLimitsSchema
    .partial()
    .optional()
    .describe('Your own limits, each at most the plan limit; null takes yours away (the plan limit applies)'),
  logPayloads: z.boolean().optional(),
});
