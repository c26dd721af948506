import { modelListSchema, openAiErrorSchema } from '@switchyard/shared';
import type { Services, ZodApp } from '../app.js';
import { MOCK_MODELS, MOCK_PROVIDER } from './providers/mock.js';

// A fixed date: the mock models do not change, so neither does their creation time.
const MOCK_CREATED = Math.floor(Date.parse('2026-01-01T00:00:00Z') / 1000);

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
        data: MOCK_MODELS.map((model) => ({
          id: model.id,
          object: 'model' as const,
          created: MOCK_CREATED,
          owned_by: MOCK_PROVIDER,
        })),
      };
    },
  );
}
