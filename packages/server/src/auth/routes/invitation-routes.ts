import {
  createdInvitationSchema,
  createInvitationBodySchema,
  invitationSchema,
  meResponseSchema,
} from '@switchyard/shared';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { API_ERRORS, API_WRITE_ERRORS } from '../../http/error-responses.js';
import { conflict, forbidden, HttpError, notFound } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import { access } from '../access.js';
import { principalOf, sessionOf } from '../access-control.js';
import {
  acceptInvitation,
  createInvitation,
  deleteInvitation,
  findUsableInvitation,
  isMemberByEmail,
  listInvitations,
  toPublicInvitation,
} from '../invitations.js';
import { addMember } from '../members.js';
import { listOrgsOfUser } from '../orgs.js';
import { setActiveOrg } from '../sessions/sessions.js';

const tags = ['members'];

export type InvitationRoutesDeps = { db: Database; clock: Clock; config: Pick<Config, 'publicUrl'> };

export function registerInvitationRoutes(app: ZodApp, deps: InvitationRoutesDeps): void {
  const { db, clock, config } = deps;

  app.get(
    '/api/invitations',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: "The org's invitations",
        response: { 200: z.object({ data: z.array(invitationSchema) }), ...API_ERRORS },
      },
    },
    async (request) => {
      return { data: await listInvitations(db, principalOf(request).orgId) };
    },
  );

  app.post(
    '/api/invitations',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: 'Invite someone by email; the token is returned once and works with invite-only sign-up',
        description:
          'Inviting an email again replaces its open invitation (the old link stops working), which is how a lost link is resent. A 409 says the person is already a member.',
        body: createInvitationBodySchema,
        response: { 201: createdInvitationSchema, ...API_WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (request.body.role === 'owner' && principal.role !== 'owner')
        throw forbidden('Only an owner can invite an owner', 'insufficient_role');
      if (await isMemberByEmail(db, { orgId: principal.orgId, email: request.body.email }))
        throw conflict(`${request.body.email} is already a member of this org`, 'already_member');
      const { invitation, token } = await createInvitation(db, {
        orgId: principal.orgId,
        email: request.body.email,
        role: request.body.role,
        invitedBy: principal.userId,
        now: new Date(clock.now()),
      });
      const base = config.publicUrl ?? `${request.protocol}://${request.host}`;
      return reply.code(201).send({
        ...toPublicInvitation(invitation),
        token,
        signupUrl: `${base}/signup?invite=${encodeURIComponent(token)}`,
      });
    },
  );

  app.delete(
    '/api/invitations/:id',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: 'Withdraw an invitation',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null(), ...API_ERRORS },
      },
    },
    async (request, reply) => {
      if (!(await deleteInvitation(db, principalOf(request).orgId, request.params.id))) throw notFound('Invitation');
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/invitations/accept',
    {
      config: { access: access.session },
      schema: {
        tags,
        summary: 'Join an org with an invitation, as the signed-in user',
        body: z.object({ token: z.string().min(1).max(200) }),
        response: { 200: meResponseSchema.pick({ org: true }), ...API_ERRORS },
      },
    },
    async (request) => {
      const principal = sessionOf(request);
      const invitation = await findUsableInvitation(db, request.body.token, new Date(clock.now()));
      if (!invitation || invitation.email !== principal.email) {
        throw new HttpError(400, {
          code: 'invalid_invitation',
          message: 'token: is unknown, used, expired or for another email',
          param: 'token',
        });
      }
      await acceptInvitation(db, invitation.id, new Date(clock.now()));
      await addMember(db, { orgId: invitation.orgId, userId: principal.userId, role: invitation.role });
      await setActiveOrg(db, principal.sessionTokenHash, invitation.orgId);
      const org = (await listOrgsOfUser(db, principal.userId)).find((candidate) => candidate.id === invitation.orgId);
      if (!org) throw notFound('Organization');
      return { org: { id: org.id, name: org.name, slug: org.slug, plan: org.plan, role: org.role } };
    },
  );
}
