import { z } from 'zod';
import { emailSchema } from './auth.js';
import { roleSchema } from './role-schemas.js';

export const memberSchema = z.object({
  userId: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  role: roleSchema,
  joinedAt: z.string(),
});
export type Member = z.infer<typeof memberSchema>;

export const updateMemberBodySchema = z.object({ role: roleSchema });

export const createInvitationBodySchema = z.object({
  email: emailSchema,
  role: roleSchema.default('member'),
});

export const invitationSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  expiresAt: z.string(),
  acceptedAt: z.string().nullable(),
});
export type Invitation = z.infer<typeof invitationSchema>;

/** Returned once on creation: the token the invitee signs up with. */
export const createdInvitationSchema = invitationSchema.extend({ token: z.string(), signupUrl: z.string() });
export type CreatedInvitation = z.infer<typeof createdInvitationSchema>;
