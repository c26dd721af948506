import { embeddingsRequestSchema, openAiErrorSchema } from '@switchyard/shared';
import type { Services, ZodApp } from '../app.js';
import { toHttpError } from '../http/error-handler.js';
import { abortOnDisconnect } from './chat-completions-route.js';
import { type ProviderAnswer, passthroughSerializer, providerAnswerSchema } from './passthrough.js';
import { NO_USAGE } from './providers/provider.js';
import { planRoute, type RoutingError, runRoute } from './router.js';
import { readTraceHeaders } from './trace-headers.js';
import { toClientError } from './upstream-error.js';

export function registerEmbeddingsRoute(app: ZodApp, services: Services): void {
  const { authenticator, providers, recorder, routes } = services;

  app.post(
    '/v1/embeddings',
    {
      schema: {
        tags: ['gateway'],
        summary: 'OpenAI-compatible embeddings through any configured provider or route alias',
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
      const plan = await planRoute({ requested: request.body.model, orgId: principal.orgId, routes });
      const controller = abortOnDisconnect(request, reply);
      const startedAt = new Date();
      const started = performance.now();
      const base = {
        principal,
        requestId: request.id,
        trace,
        endpoint: 'embeddings' as const,
        startedAt,
        input: { input: request.body.input },
      };
      try {
        const {
          value: result,
          provider,
          target,
          attempts,
        } = await runRoute({
          plan,
          providers,
          signal: controller.signal,
          call: (provider, upstreamModel, signal) =>
            provider.embeddings({ ...request.body, model: upstreamModel }, { signal, requestHeaders: request.headers }),
        });
        // Vectors are large and rarely worth keeping: the record stores how many, not what.
        recorder.record({
          ...base,
          provider: provider.name,
          model: target.model,
          latencyMs: performance.now() - started,
          status: 'success',
          statusCode: 200,
          usage: result.usage,
          attempts: attempts.length,
          routing: { requested: plan.requested, alias: plan.alias, attempts },
          output: { embeddings: (result.body.data as unknown[] | undefined)?.length ?? 0 },
        });
        reply.header('x-switchyard-provider', provider.name).header('x-switchyard-attempts', String(attempts.length));
        return reply.send(result.body as ProviderAnswer);
      } catch (error) {
        const routingError = error as RoutingError;
        const last = routingError.attempts?.at(-1);
        const clientError = toClientError(routingError.last) ?? toHttpError(routingError.last ?? error).httpError;
        recorder.record({
          ...base,
          provider: last?.provider ?? 'none',
          model: last?.model ?? plan.requested,
          latencyMs: performance.now() - started,
          status: 'error',
          statusCode: clientError.status,
          usage: NO_USAGE,
          error: clientError.message,
          attempts: routingError.attempts?.length ?? 0,
          routing: { requested: plan.requested, alias: plan.alias, attempts: routingError.attempts ?? [] },
        });
        throw toClientError(routingError.last) ?? routingError.last ?? error;
      }
    },
  );
}
