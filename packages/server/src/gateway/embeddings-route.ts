import { embeddingsRequestSchema, openAiErrorSchema } from '@switchyard/shared';
import type { Services, ZodApp } from '../app.js';
import { GatewayCallScope } from './gateway-call.js';
import { type ProviderAnswer, passthroughSerializer, providerAnswerSchema } from './passthrough.js';
import { runRoute } from './router.js';

const errors = {
  400: openAiErrorSchema,
  401: openAiErrorSchema,
  402: openAiErrorSchema,
  403: openAiErrorSchema,
  404: openAiErrorSchema,
  429: openAiErrorSchema,
};

export function registerEmbeddingsRoute(app: ZodApp, services: Services): void {
  app.post(
    '/v1/embeddings',
    {
      schema: {
        tags: ['gateway'],
        summary: 'OpenAI-compatible embeddings through a provider or a route alias',
        security: [{ bearerAuth: [] }],
        body: embeddingsRequestSchema,
        response: { 200: providerAnswerSchema, ...errors },
      },
      serializerCompiler: passthroughSerializer,
    },
    async (request, reply) => {
      const body = request.body;
      const call = await GatewayCallScope.begin({
        services,
        request,
        reply,
        endpoint: 'embeddings',
        model: body.model,
        input: { input: body.input },
      });
      try {
        const {
          value: result,
          provider,
          target,
          attempts,
        } = await runRoute({
          plan: call.plan,
          providers: call.providers,
          signal: call.signal,
          call: (provider, upstreamModel, signal) =>
            provider.embeddings({ ...body, model: upstreamModel }, { signal, requestHeaders: request.headers }),
        });
        // Vectors are large and rarely worth keeping: the record stores how many, not what.
        const output = { embeddings: (result.body.data as unknown[] | undefined)?.length ?? 0 };
        call.finish(
          {
            provider: provider.name,
            model: target.model,
            status: 'success',
            statusCode: 200,
            usage: result.usage,
            output,
          },
          attempts,
        );
        reply.header('x-switchyard-provider', provider.name).header('x-switchyard-attempts', String(attempts.length));
        return reply.send(result.body as ProviderAnswer);
      } catch (error) {
        throw call.fail(error);
      }
    },
  );
}
