import { embeddingsRequestSchema, openAiErrorSchema } from '@switchyard/shared';
import type { Services, ZodApp } from '../app.js';
import { toHttpError } from '../http/error-handler.js';
import { abortOnDisconnect } from './chat-completions-route.js';
import { type ProviderAnswer, passthroughSerializer, providerAnswerSchema } from './passthrough.js';
import { NO_USAGE } from './providers/provider.js';
import { readTraceHeaders } from './trace-headers.js';
import { toClientError } from './upstream-error.js';

export function registerEmbeddingsRoute(app: ZodApp, services: Services): void {
  const { authenticator, providers, recorder } = services;

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
      const principal = await authenticator.apiKey(request, 'gateway');
      const trace = readTraceHeaders(request.headers);
      const { provider, upstreamModel } = providers.resolve(request.body.model);
      const controller = abortOnDisconnect(request, reply);
      const startedAt = new Date();
      const started = performance.now();
      const base = {
        principal,
        requestId: request.id,
        trace,
        endpoint: 'embeddings' as const,
        provider: provider.name,
        model: request.body.model,
        startedAt,
        attempts: 1,
        input: { input: request.body.input },
      };
      try {
        const result = await provider.embeddings(
          { ...request.body, model: upstreamModel },
          { signal: controller.signal, requestHeaders: request.headers },
        );
        // Vectors are large and rarely worth keeping: the record stores how many, not what.
        recorder.record({
          ...base,
          latencyMs: performance.now() - started,
          status: 'success',
          statusCode: 200,
          usage: result.usage,
          output: { embeddings: (result.body.data as unknown[] | undefined)?.length ?? 0 },
        });
        reply.header('x-switchyard-provider', provider.name).header('x-switchyard-attempts', '1');
        return reply.send(result.body as ProviderAnswer);
      } catch (error) {
        const clientError = toClientError(error) ?? toHttpError(error).httpError;
        recorder.record({
          ...base,
          latencyMs: performance.now() - started,
          status: 'error',
          statusCode: clientError.status,
          usage: NO_USAGE,
          error: clientError.message,
        });
        throw toClientError(error) ?? error;
      }
    },
  );
}
