import { modelListSchema, orgModelListSchema } from '@switchyard/shared';
import { access, apiKeyOf, principalOf } from '../../auth/index.js';
import { errorResponses } from '../../http/error-responses.js';
import type { ZodApp } from '../../http/zod-app.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import type { RouteStore } from '../routing/route-store.js';

// A fixed date: the listed models do not say when they were made, so neither do we.
const LISTED_CREATED = Math.floor(Date.parse('2026-01-01T00:00:00Z') / 1000);

export type ModelRoutesDeps = { routes: RouteStore; providers: ProviderRegistry };

/** `GET /v1/models`, in OpenAI's list shape. */
export function registerModelListRoute(app: ZodApp, deps: ModelRoutesDeps): void {
  const { routes, providers } = deps;
  app.get(
    '/v1/models',
    {
      config: { access: access.apiKey('gateway') },
      schema: {
        tags: ['gateway'],
        summary: "The org's route aliases and the providers' models this key can call (OpenAI list shape)",
        security: [{ bearerAuth: [] }],
        response: { 200: modelListSchema, ...errorResponses({ shape: 'openai', statuses: [401, 403] }) },
      },
    },
    async (request) => {
      const principal = apiKeyOf(request);
      const aliases = (await routes.list(principal.orgId)).map((route) => ({
        id: route.alias,
        ownedBy: principal.orgId,
      }));
      return {
        object: 'list' as const,
        data: [...aliases, ...providers.forOrg(principal.serverProviders).models()].map((model) => ({
          id: model.id,
          object: 'model' as const,
          created: LISTED_CREATED,
          owned_by: model.ownedBy,
        })),
      };
    },
  );
}

/** `GET /api/models`: what the dashboard offers to pick from, aliases and models. */
export function registerOrgModelRoute(app: ZodApp, deps: ModelRoutesDeps): void {
  const { routes, providers } = deps;
  app.get(
    '/api/models',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags: ['gateway'],
        summary: 'What the org can send as `model`: its route aliases and the server’s providers’ models',
        description:
          'The dashboard’s view of `GET /v1/models`, with a session or an admin key. The org’s own providers are listed by `GET /api/providers`; their models are whatever the provider serves, as `<name>/<model>`.',
        response: { 200: orgModelListSchema, ...errorResponses({ shape: 'api', statuses: [401, 403] }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const aliases = await routes.list(principal.orgId);
      return {
        data: [
          ...aliases.map((route) => ({ id: route.alias, kind: 'route' as const })),
          ...providers
            .forOrg(principal.serverProviders)
            .models()
            .map((model) => ({ id: model.id, kind: 'model' as const })),
        ],
      };
    },
  );
}
