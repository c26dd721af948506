import { memberSchema, roleAtLeast, updateMemberBodySchema } from '@switchyard/shared';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import { API_WRITE_ERRORS } from '../../http/error-responses.js';
import { conflict, forbidden, notFound } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import { access } from '../access.js';
import { principalOf } from '../access-control.js';
import type { ApiKeyResolver } from '../keys/key-resolver.js';
import { countOwners, findMembership, listMembers, removeMember, setMemberRole } from '../members.js';

const tags = ['members'];
const userParams = z.object({ userId: z.uuid() });
const removeQuery = z.object({
  revokeKeys: z
    .enum(['true'], {
      error: "must be true or left out: a removed member's keys always stop, as they carry that member's authority",
    })
    .optional()
    .describe('Accepted for older clients: the keys a removed member created in this org are always revoked'),
});

export type MemberRoutesDeps = { db: Database; clock: Clock; resolver: ApiKeyResolver };

export function registerMemberRoutes(app: ZodApp, deps: MemberRoutesDeps): void {
  const { db, resolver, clock } = deps;

  async function ensureNotLastOwner(orgId: string, userId: string) {
    const membership = await findMembership(db, orgId, userId);
    if (membership?.role === 'owner' && (await countOwners(db, orgId)) <= 1) {
      throw conflict('An org needs at least one owner; make someone else owner first', 'last_owner');
    }
  }

  app.get(
    '/api/members',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary: "The org's members and their roles",
        response: { 200: z.object({ data: z.array(memberSchema) }), ...API_WRITE_ERRORS },
      },
    },
    async (request) => {
      return { data: await listMembers(db, principalOf(request).orgId) };
    },
  );

  app.patch(
    '/api/members/:userId',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: "Change a member's role",
        description:
          'Admins change roles up to admin; only owners grant or take the owner role. Nobody raises their own role, by session or by key. Keys the member created narrow with them at once.',
        params: userParams,
        body: updateMemberBodySchema,
        response: { 200: memberSchema, ...API_WRITE_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { userId } = request.params;
      const current = await findMembership(db, principal.orgId, userId);
      if (!current) throw notFound('Member');
      if (userId === principal.userId && !roleAtLeast(current.role, request.body.role)) {
        throw forbidden(`Nobody raises their own role (you are ${current.role})`, 'cannot_raise_own_role');
      }
      const touchesOwner = current.role === 'owner' || request.body.role === 'owner';
      if (touchesOwner && principal.role !== 'owner')
        throw forbidden('Only an owner can grant or take the owner role', 'insufficient_role');
      if (request.body.role !== 'owner') await ensureNotLastOwner(principal.orgId, userId);
      await setMemberRole(db, { orgId: principal.orgId, userId, role: request.body.role });
      // Keys they created act with their role: every replica reloads the org's keys now.
      await resolver.broadcastOrgChange(principal.orgId);
      const updated = (await listMembers(db, principal.orgId)).find((member) => member.userId === userId);
      if (!updated) throw notFound('Member');
      return updated;
    },
  );

  app.delete(
    '/api/members/:userId',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary: 'Remove a member (or leave the org yourself)',
        description:
          "The member loses access at once, and the API keys they created in this org are revoked in the same step (a key carries its creator's authority), on every replica within a second. Their keys in other orgs stay.",
        params: userParams,
        querystring: removeQuery,
        response: { 204: z.null(), ...API_WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { userId } = request.params;
      const principal = principalOf(request);
      const isSelf = principal.kind === 'session' && principal.userId === userId;
      if (!isSelf && !roleAtLeast(principal.role, 'admin')) {
        throw forbidden(
          `Removing others needs the admin role or higher; you are ${principal.role}`,
          'insufficient_role',
        );
      }
      const current = await findMembership(db, principal.orgId, userId);
      if (!current) throw notFound('Member');
      if (current.role === 'owner' && principal.role !== 'owner')
        throw forbidden('Only an owner can remove an owner', 'insufficient_role');
      await ensureNotLastOwner(principal.orgId, userId);
      const revoked = await removeMember(db, { orgId: principal.orgId, userId, now: new Date(clock.now()) });
      if (!revoked) throw notFound('Member');
      for (const secretHash of revoked) await resolver.broadcastRevocation(secretHash);
      return reply.code(204).send(null);
    },
  );
}
