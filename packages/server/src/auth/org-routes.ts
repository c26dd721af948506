import { apiErrorSchema, createOrgBodySchema, orgSchema, updateOrgBodySchema } from '@switchyard/shared';
import { z } from 'zod';
import type { Services, ZodApp } from '../app.js';
import { forbidden, notFound } from '../http/http-error.js';
import { addMember } from './members.js';
import { createOrg, findOrgById, listOrgsOfUser, toPublicOrg, updateOrg } from './orgs.js';

const tags = ['organizations'];
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };

export function registerOrgRoutes(app: ZodApp, services: Services): void {
  const { db, authenticator } = services;

  app.get(
    '/api/orgs',
    {
      schema: {
        tags,
        summary: 'The orgs you belong to (an API key sees its own)',
        response: { 200: z.object({ data: z.array(orgSchema) }), ...errors },
      },
    },
    async (request) => {
      const principal = await authenticator.member(request, 'viewer');
      if (principal.kind === 'apiKey') {
        const org = await findOrgById(db, principal.orgId);
        return { data: org ? [toPublicOrg(org)] : [] };
      }
      return { data: (await listOrgsOfUser(db, principal.userId)).map(toPublicOrg) };
    },
  );

  app.post(
    '/api/orgs',
    {
      schema: {
        tags,
        summary: 'Create another org; you become its owner',
        body: createOrgBodySchema,
        response: { 201: orgSchema, ...errors },
      },
    },
    async (request, reply) => {
      const principal = await authenticator.session(request);
      const org = await createOrg(db, { name: request.body.name });
      await addMember(db, { orgId: org.id, userId: principal.userId, role: 'owner' });
      return reply.code(201).send(toPublicOrg(org));
    },
  );

  app.get(
    '/api/org',
    { schema: { tags, summary: 'The current org, with the limits in force', response: { 200: orgSchema, ...errors } } },
    async (request) => {
      const principal = await authenticator.member(request, 'viewer');
      const org = await findOrgById(db, principal.orgId);
      if (!org) throw notFound('Organization');
      return toPublicOrg(org);
    },
  );

  app.patch(
    '/api/org',
    {
      schema: {
        tags,
        summary: 'Rename the current org, change its plan (owner) or override its limits',
        body: updateOrgBodySchema,
        response: { 200: orgSchema, ...errors },
      },
    },
    async (request) => {
      const principal = await authenticator.member(request, 'admin');
      if (request.body.plan && principal.role !== 'owner')
        throw forbidden('Only an owner can change the plan', 'insufficient_role');
      const org = await updateOrg(db, principal.orgId, request.body);
      if (!org) throw notFound('Organization');
      // Keys cache their org's limits and settings: every replica reloads them now.
      await services.resolver.broadcastOrgChange(org.id);
      return toPublicOrg(org);
    },
  );
}
