import { z } from 'zod';
import { planSchema } from './plan-schemas.js';
import { roleSchema } from './role-schemas.js';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'must be an email address' }))
  .describe('email address');
export const passwordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters');

export const signupBodySchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().min(1).max(100).optional(),
  orgName: z.string().trim().min(1).max(100).optional(),
  inviteToken: z.string().min(1).max(200).optional(),
});
export type SignupBody = z.infer<typeof signupBodySchema>;

export const loginBodySchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(200),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const switchOrgBodySchema = z.object({ orgId: z.uuid() });

export const orgSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  plan: planSchema,
  role: roleSchema,
});
export type OrgSummary = z.infer<typeof orgSummarySchema>;

export const meResponseSchema = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    /** An instance operator: sees every org and sets plans, limits, server prices and suspensions. */
    isOperator: z.boolean(),
  }),
  org: orgSummarySchema,
  orgs: z.array(orgSummarySchema),
  /** Send back as `x-csrf-token` on every cookie-authenticated POST/PATCH/PUT/DELETE. */
  csrfToken: z.string(),
});
export type MeResponse = z.infer<typeof meResponseSchema>;
