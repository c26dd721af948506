import { z } from 'zod';
import { orgSchema } from './orgs.js';
import { pageQuerySchema } from './pagination.js';
import { orgLimitsSchema, planSchema } from './plan-schemas.js';

/** One org as the instance operator sees it: its settings, and what it used this calendar month. */
export const operatorOrgSchema = orgSchema.extend({
  /** The operator's overrides of the plan: a limit not named follows the plan; null is unlimited. */
  limitOverrides: orgLimitsSchema.partial(),
  /**
   * Whether the org's calls may use the server-wide provider keys (OPENAI_API_KEY, …) when
   * SHARED_PROVIDERS=first; with SHARED_PROVIDERS=all every org may.
   */
  serverProviders: z.boolean(),
  members: z.number().int(),
  usageThisMonth: z.object({
    requests: z.number(),
    errors: z.number(),
    tokens: z.number(),
    /** Spent through the gateway: what counts against the org's monthly cap. */
    gatewaySpendUsd: z.number(),
    /** Reported by the org's own telemetry (ingest, OTLP): its own spend elsewhere, not the server's. */
    reportedSpendUsd: z.number(),
  }),
});
export type OperatorOrg = z.infer<typeof operatorOrgSchema>;

export const operatorOrgListQuerySchema = pageQuerySchema.extend({
  search: z.string().trim().max(100).optional().describe('Part of the org name or slug'),
});

export const operatorOrgPatchSchema = z.object({
  plan: planSchema.optional(),
  limitOverrides: orgLimitsSchema
    .partial()
    .optional()
    .describe("Replaces the org's overrides of its plan: a limit left out follows the plan, null is unlimited"),
  serverProviders: z
    .boolean()
    .optional()
    .describe(
      "Whether the org's calls may use the server-wide provider keys (OPENAI_API_KEY, …) under SHARED_PROVIDERS=first",
    ),
  suspended: z.boolean().optional().describe("Suspended: the org's keys are refused and its members can only read"),
  suspendedReason: z.string().trim().max(500).optional().describe('Shown to the org in every refusal'),
});
export type OperatorOrgPatch = z.infer<typeof operatorOrgPatchSchema>;
