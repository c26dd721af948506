import { computeCostUsd, embeddingsRequestSchema, findPrice, openAiErrorSchema } from '@switchyard/shared';
import type { Services, ZodApp } from '../app.js';
import { abortOnDisconnect } from './chat-completions-route.js';
import { type ProviderAnswer, passthroughSerializer, providerAnswerSchema } from './passthrough.js';
import { NO_USAGE } from './providers/provider.js';
import { toClientError } from './upstream-error.js';

export function registerEmbeddingsRoute(app: ZodApp, services: Services): void {
  const { authenticator, providers, callMetrics } = services;

  app.post(
    '/v1/embeddings',
    {
      schema: {
        tags: ['gateway'],
        summary: 'OpenAI-compatible embeddings through any configured provider',
        security: [{ bearerAuth: [] }],
        body: embeddingsRequestSchema,
        response: {
          200: providerAnswerSchema,
          400: openAiErrorSchema,
          401: openAiErrorSchema,
          403: openAiErrorSchema,
          404: openAiErrorSchema,
        },
      },
      serializerCompiler: passthroughSerializer,
    },
    async (request, reply) => {
      await authenticator.apiKey(request, 'gateway');
      const { provider, upstreamModel } = providers.resolve(request.body.model);
      const controller = abortOnDisconnect(request, reply);
      const started = performance.now();
      try {
        const result = await provider.embeddings(
          { ...request.body, model: upstreamModel },
          { signal: controller.signal, requestHeaders: request.headers },
        );
        const costUsd = computeCostUsd(findPrice(request.body.model), result.usage);
        callMetrics.observe({
          provider: provider.name,
          model: request.body.model,
          status: 'success',
          usage: result.usage,
          costUsd,
          latencyMs: performance.now() - started,
        });
        reply.header('x-switchyard-provider', provider.name).header('x-switchyard-attempts', '1');
        return reply.send(result.body as ProviderAnswer);
      } catch (error) {
        callMetrics.observe({
          provider: provider.name,
          model: request.body.model,
          status: 'error',
          usage: NO_USAGE,
          costUsd: null,
          latencyMs: performance.now() - started,
        });
        throw toClientError(error) ?? error;
      }
    },
  );
}
