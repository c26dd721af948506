import { listSchema, type Member, memberSchema, type Role } from '@switchyard/shared';
import { request } from './client.js';

const memberListSchema = listSchema(memberSchema);

export async function listMembers(): Promise<Member[]> {
  return (await request('/api/members', { schema: memberListSchema })).data;
}

export function changeMemberRole(options: { userId: string; role: Role }): Promise<Member> {
  return request(`/api/members/${options.userId}`, {
    method: 'PATCH',
    body: { role: options.role },
    schema: memberSchema,
  });
}

/** Removes someone from the org; the server revokes the keys they made in it. */
export function removeMember(userId: string): Promise<void> {
  return request(`/api/members/${userId}`, { method: 'DELETE' });
}
