import { modelListSchema, openAiErrorSchema } from '@switchyard/shared';
import type { Services, ZodApp } from '../app.js';

// A fixed date: the listed models do not say when they were made, so neither do we.
const LISTED_CREATED = Math.floor(Date.parse('2026-01-01T00:00:00Z') / 1000);

export function registerModelRoutes(app: ZodApp, services: Services): void {
  app.get(
    '/v1/models',
    {
      schema: {
        tags: ['gateway'],
        summary: 'The models this key can call (OpenAI list shape); also a quick way to check a key',
        security: [{ bearerAuth: [] }],
        response: { 200: modelListSchema, 401: openAiErrorSchema, 403: openAiErrorSchema },
      },
    },
    async (request) => {
      await services.authenticator.apiKey(request, 'gateway');
      return {
        object: 'list' as const,
        data: services.providers.models().map((model) => ({
          id: model.id,
          object: 'model' as const,
          created: LISTED_CREATED,
          owned_by: model.ownedBy,
        })),
      };
    },
  );
}
