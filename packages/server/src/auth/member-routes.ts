import { apiErrorSchema, memberSchema, roleAtLeast, updateMemberBodySchema } from '@switchyard/shared';
import { z } from 'zod';
import type { Services, ZodApp } from '../app.js';
import { conflict, forbidden, notFound } from '../http/http-error.js';
import { countOwners, findMembership, listMembers, removeMember, setMemberRole } from './members.js';

const tags = ['members'];
const errors = {
  400: apiErrorSchema,
  401: apiErrorSchema,
  403: apiErrorSchema,
  404: apiErrorSchema,
  409: apiErrorSchema,
};
const userParams = z.object({ userId: z.uuid() });
const removeQuery = z.object({
  revokeKeys: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true')
    .describe('Also revoke the API keys they created in this org (their keys elsewhere stay)'),
});

export function registerMemberRoutes(app: ZodApp, services: Services): void {
  const { db, authenticator, resolver, clock } = services;

  async function ensureNotLastOwner(orgId: string, userId: string) {
    const membership = await findMembership(db, orgId, userId);
    if (membership?.role === 'owner' && (await countOwners(db, orgId)) <= 1) {
      throw conflict('An org needs at least one owner; make someone else owner first', 'last_owner');
    }
  }

  app.get(
    '/api/members',
    {
      schema: {
        tags,
        summary: "The org's members and their roles",
        response: { 200: z.object({ data: z.array(memberSchema) }), ...errors },
      },
    },
    async (request) => {
      const principal = await authenticator.member(request, 'viewer');
      return { data: await listMembers(db, principal.orgId) };
    },
  );

  app.patch(
    '/api/members/:userId',
    {
      schema: {
        tags,
        summary: "Change a member's role",
        params: userParams,
        body: updateMemberBodySchema,
        response: { 200: memberSchema, ...errors },
      },
    },
    async (request) => {
      const principal = await authenticator.member(request, 'admin');
      const { userId } = request.params;
      const current = await findMembership(db, principal.orgId, userId);
      if (!current) throw notFound('Member');
      const touchesOwner = current.role === 'owner' || request.body.role === 'owner';
      if (touchesOwner && principal.role !== 'owner')
        throw forbidden('Only an owner can grant or take the owner role', 'insufficient_role');
      if (request.body.role !== 'owner') await ensureNotLastOwner(principal.orgId, userId);
      await setMemberRole(db, { orgId: principal.orgId, userId, role: request.body.role });
      const updated = (await listMembers(db, principal.orgId)).find((member) => member.userId === userId);
      if (!updated) throw notFound('Member');
      return updated;
    },
  );

  app.delete(
    '/api/members/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a member (or leave the org yourself)',
        description:
          'The member loses access at once. API keys they created keep working unless `revokeKeys=true`, which revokes them in the same step, on every replica within a second.',
        params: userParams,
        querystring: removeQuery,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const { userId } = request.params;
      const principal = await authenticator.member(request, 'viewer');
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
      const revoked = await removeMember(db, {
        orgId: principal.orgId,
        userId,
        revokeKeys: request.query.revokeKeys,
        now: new Date(clock.now()),
      });
      if (!revoked) throw notFound('Member');
      for (const secretHash of revoked) await resolver.broadcastRevocation(secretHash);
      return reply.code(204).send(null);
    },
  );
}
