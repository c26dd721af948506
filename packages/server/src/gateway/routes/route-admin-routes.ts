import { type RouteBody, routeBodySchema, routeSchema } from '@switchyard/shared';
import { z } from 'zod';
import { access, principalOf } from '../../auth/index.js';
import { API_WRITE_ERRORS } from '../../http/error-responses.js';
import { conflict, HttpError, notFound } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import type { OrgProviderStore } from '../providers/org-providers.js';
import type { RouteStore } from '../routing/route-store.js';

const tags = ['routes'];
const idParams = z.object({ id: z.uuid() });

export type RouteAdminRoutesDeps = { routes: RouteStore; orgProviders: OrgProviderStore };

export function registerRouteAdminRoutes(app: ZodApp, deps: RouteAdminRoutesDeps): void {
  const { routes, orgProviders } = deps;

  /** A route whose target names a provider this org cannot reach would fail every call: refuse it now. */
  async function checkTargets(org: { orgId: string; serverProviders: boolean }, body: RouteBody): Promise<void> {
    const providers = await orgProviders.resolverFor(org);
    body.targets.forEach((target, index) => {
      try {
        providers.resolve(target.model);
      } catch (error) {
        const reason = error instanceof HttpError ? error.message.replace(/^model: /, '') : String(error);
        throw new HttpError(400, {
          code: 'invalid_request',
          param: `targets.${index}.model`,
          message: `body.targets.${index}.model: ${reason}`,
        });
      }
    });
  }

  app.get(
    '/api/routes',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary: "The org's model aliases",
        response: { 200: z.object({ data: z.array(routeSchema) }), ...API_WRITE_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return { data: await routes.list(principal.orgId) };
    },
  );

  app.post(
    '/api/routes',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: 'Create an alias: single, fallback or loadbalance over provider models, with retries and timeouts',
        body: routeBodySchema,
        response: { 201: routeSchema, ...API_WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await checkTargets(principal, request.body);
      const route = await routes.create(principal.orgId, request.body);
      if (!route) throw conflict(`alias: "${request.body.alias}" already names a route in this org`, 'alias_taken');
      return reply.code(201).send(route);
    },
  );

  app.get(
    '/api/routes/:id',
    {
      config: { access: access.member('viewer') },
      schema: { tags, summary: 'One route', params: idParams, response: { 200: routeSchema, ...API_WRITE_ERRORS } },
    },
    async (request) => {
      const principal = principalOf(request);
      const route = await routes.get(principal.orgId, request.params.id);
      if (!route) throw notFound('Route');
      return route;
    },
  );

  app.put(
    '/api/routes/:id',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: 'Replace a route; every replica uses the new one within a second',
        params: idParams,
        body: routeBodySchema,
        response: { 200: routeSchema, ...API_WRITE_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await checkTargets(principal, request.body);
      const route = await routes.replace(principal.orgId, request.params.id, request.body);
      if (route === 'alias_taken')
        throw conflict(`alias: "${request.body.alias}" already names another route in this org`, 'alias_taken');
      if (!route) throw notFound('Route');
      return route;
    },
  );

  app.delete(
    '/api/routes/:id',
    {
      config: { access: access.member('admin') },
      schema: { tags, summary: 'Delete a route', params: idParams, response: { 204: z.null(), ...API_WRITE_ERRORS } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (!(await routes.delete(principal.orgId, request.params.id))) throw notFound('Route');
      return reply.code(204).send(null);
    },
  );
}
