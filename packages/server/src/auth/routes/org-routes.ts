import { createOrgBodySchema, LIMIT_NAMES, type OrgLimits, orgSchema, updateOrgBodySchema } from '@switchyard/shared';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { API_ERRORS } from '../../http/error-responses.js';
import { badRequest, forbidden, notFound } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import { access } from '../access.js';
import { principalOf, sessionOf } from '../access-control.js';
import type { ApiKeyResolver } from '../keys/key-resolver.js';
import { addMember } from '../members.js';
import { ceilingOf, createOrg, findOrgById, listOrgsOfUser, type OrgRow, toPublicOrg, updateOrg } from '../orgs.js';

const tags = ['organizations'];

/** An org may only narrow what its plan and the operator allow: each of its own limits stays at or below. */
function checkSelfLimits(org: OrgRow, limits: Partial<OrgLimits>): void {
  const ceiling = ceilingOf(org);
  for (const name of LIMIT_NAMES) {
    const wanted = limits[name];
    const allowed = ceiling[name];
    if (wanted === undefined || wanted === null || allowed === null || wanted <= allowed) continue;
    throw badRequest(
      `limits.${name}: at most ${allowed} on this org's plan (${org.plan}); only the server's operator can raise it`,
      `limits.${name}`,
    );
  }
}

export type OrgRoutesDeps = { db: Database; resolver: ApiKeyResolver; config: Pick<Config, 'defaultPlan'> };

export function registerOrgRoutes(app: ZodApp, deps: OrgRoutesDeps): void {
  const { db, resolver, config } = deps;

  app.get(
    '/api/orgs',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary: 'The orgs you belong to (an API key sees its own)',
        response: { 200: z.object({ data: z.array(orgSchema) }), ...API_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
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
      config: { access: access.session },
      schema: {
        tags,
        summary: 'Create another org; you become its owner',
        body: createOrgBodySchema,
        response: { 201: orgSchema, ...API_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = sessionOf(request);
      const org = await createOrg(db, { name: request.body.name, plan: config.defaultPlan });
      await addMember(db, { orgId: org.id, userId: principal.userId, role: 'owner' });
      return reply.code(201).send(toPublicOrg(org));
    },
  );

  app.get(
    '/api/org',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary: 'The current org, with its plan, the limits in force and the plan limits above them',
        response: { 200: orgSchema, ...API_ERRORS },
      },
    },
    async (request) => {
      const org = await findOrgById(db, principalOf(request).orgId);
      if (!org) throw notFound('Organization');
      return toPublicOrg(org);
    },
  );

  app.patch(
    '/api/org',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: 'Rename the current org, set whether records keep payloads, or lower its own limits',
        description:
          "Limits can only be lowered here, each to at most the plan's (`planLimits`); `null` takes the org's own limit away. The plan, and limits above it, are the server operator's (`PATCH /api/operator/orgs/{id}`).",
        body: updateOrgBodySchema,
        response: { 200: orgSchema, ...API_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const current = await findOrgById(db, principal.orgId);
      if (!current) throw notFound('Organization');
      const { plan, limits, ...rest } = request.body;
      if (plan && plan !== current.plan) {
        throw forbidden(
          `The plan is the server operator's to change (this org is on ${current.plan})`,
          'operator_only',
        );
      }
      if (limits) checkSelfLimits(current, limits);
      const org = await updateOrg(db, principal.orgId, { ...rest, selfLimits: limits });
      if (!org) throw notFound('Organization');
      // Keys cache their org's limits and settings: every replica reloads them now.
      await resolver.broadcastOrgChange(org.id);
      return toPublicOrg(org);
    },
  );
}
