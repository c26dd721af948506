import {
  type CreatedInvitation,
  createdInvitationSchema,
  type Invitation,
  invitationSchema,
  listSchema,
  type MeResponse,
  meResponseSchema,
  type Role,
} from '@switchyard/shared';
import { request } from './client.js';

const invitationListSchema = listSchema(invitationSchema);
const acceptedSchema = meResponseSchema.pick({ org: true });

/** The org's invitations, accepted ones too (admins only). */
export async function listInvitations(): Promise<Invitation[]> {
  return (await request('/api/invitations', { schema: invitationListSchema })).data;
}

/** Answers with the sign-up link, which the server shows this once. */
export function createInvitation(body: { email: string; role: Role }): Promise<CreatedInvitation> {
  return request('/api/invitations', { method: 'POST', body, schema: createdInvitationSchema });
}

export function revokeInvitation(id: string): Promise<void> {
  return request(`/api/invitations/${id}`, { method: 'DELETE' });
}

/** Joins the org of an invitation's token; answers with that org. */
export function acceptInvitation(token: string): Promise<Pick<MeResponse, 'org'>> {
  return request('/api/invitations/accept', { method: 'POST', body: { token }, schema: acceptedSchema });
}
