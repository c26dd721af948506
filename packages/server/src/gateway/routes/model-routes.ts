import { apiErrorSchema, modelListSchema, openAiErrorSchema, orgModelListSchema } from '@switchyard/shared';
import type { Services, ZodApp } from '../../app.js';
import { access, apiKeyOf, principalOf } from '../../auth/access.js';

// A fixed date: the listed models do not say when they were made, so neither do we.
const LISTED_CREATED = Math.floor(Date.parse('2026-01-01T00:00:00Z') / 1000);

export function registerModelRoutes(app: ZodApp, services: Services): void {
  app.get(
    '/v1/models',
    {
      config: { access: access.apiKey('gateway') },
      schema: {
        tags: ['gateway'],
        summary: "The org's route aliases and the providers' models this key can call (OpenAI list shape)",
        security: [{ bearerAuth: [] }],
        response: { 200: modelListSchema, 401: openAiErrorSchema, 403: openAiErrorSchema },
      },
    },
    async (request) => {
      const principal = apiKeyOf(request);
      const aliases = (await services.routes.list(principal.orgId)).map((route) => ({
        id: route.alias,
        ownedBy: principal.orgId,
      }));
      return {
        object: 'list' as const,
        data: [...aliases, ...services.providers.models()].map((model) => ({
          id: model.id,
          object: 'model' as const,
          created: LISTED_CREATED,
          owned_by: model.ownedBy,
        })),
      };
    },
  );

  app.get(
    '/api/models',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags: ['gateway'],
        summary: 'What the org can send as `model`: its route aliases and the server’s providers’ models',
        description:
          'The dashboard’s view of `GET /v1/models`, with a session or an admin key. The org’s own providers are listed by `GET /api/providers`; their models are whatever the provider serves, as `<name>/<model>`.',
        response: { 200: orgModelListSchema, 401: apiErrorSchema, 403: apiErrorSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const routes = await services.routes.list(principal.orgId);
      return {
        data: [
          ...routes.map((route) => ({ id: route.alias, kind: 'route' as const })),
          ...services.providers.models().map((model) => ({ id: model.id, kind: 'model' as const })),
        ],
      };
    },
  );
}
