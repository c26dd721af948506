import { operatorOrgListQuerySchema, operatorOrgPatchSchema, operatorOrgSchema, pageSchema } from '@switchyard/shared';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import { API_ERRORS } from '../../http/error-responses.js';
import { badRequest, notFound } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import { access } from '../access.js';
import type { ApiKeyResolver } from '../keys/key-resolver.js';
import { describeOrgs, listOrgsForOperator } from '../operator-orgs.js';
import { findOrgById, updateOrgAsOperator } from '../orgs.js';

const tags = ['operator'];
const idParams = z.object({ id: z.uuid() });

/**
 * The instance operator's area: every org, with its plan, usage and spend, and the decisions no org
 * makes for itself (plans, limits above them, suspension). Sessions of operators only, never keys.
 */
export type OperatorRoutesDeps = { db: Database; clock: Clock; resolver: ApiKeyResolver };

export function registerOperatorRoutes(app: ZodApp, deps: OperatorRoutesDeps): void {
  const { db, clock, resolver } = deps;

  app.get(
    '/api/operator/orgs',
    {
      config: { access: access.operator },
      schema: {
        tags,
        summary: 'Every org of this server, newest first, with its plan, limits, members and usage this month',
        querystring: operatorOrgListQuerySchema,
        response: { 200: pageSchema(operatorOrgSchema), ...API_ERRORS },
      },
    },
    async (request) => listOrgsForOperator(db, { ...request.query, now: new Date(clock.now()) }),
  );

  app.get(
    '/api/operator/orgs/:id',
    {
      config: { access: access.operator },
      schema: { tags, summary: 'One org', params: idParams, response: { 200: operatorOrgSchema, ...API_ERRORS } },
    },
    async (request) => {
      const org = await findOrgById(db, request.params.id);
      if (!org) throw notFound('Organization');
      const [described] = await describeOrgs(db, [org], new Date(clock.now()));
      return described;
    },
  );

  app.patch(
    '/api/operator/orgs/:id',
    {
      config: { access: access.operator },
      schema: {
        tags,
        summary: "Change an org's plan, override its limits, or suspend it",
        description:
          "`limitOverrides` replaces the org's overrides (a limit left out follows the plan; null is unlimited). A suspended org's keys are refused on every endpoint and its members can only read. Every replica applies the change at once.",
        params: idParams,
        body: operatorOrgPatchSchema,
        response: { 200: operatorOrgSchema, ...API_ERRORS },
      },
    },
    async (request) => {
      if (request.body.suspendedReason !== undefined && request.body.suspended !== true) {
        throw badRequest('suspendedReason: goes with suspended: true', 'suspendedReason');
      }
      const org = await updateOrgAsOperator(db, request.params.id, { ...request.body, now: new Date(clock.now()) });
      if (!org) throw notFound('Organization');
      // Keys cache their org's plan, limits and suspension: every replica reloads them now.
      await resolver.broadcastOrgChange(org.id);
      const [described] = await describeOrgs(db, [org], new Date(clock.now()));
      request.log.info({ orgId: org.id, change: request.body }, 'operator changed an org');
      return described;
    },
  );
}
