import { embeddingsRequestSchema } from '@switchyard/shared';
import { access } from '../../auth/index.js';
import { OPENAI_CALL_ERRORS } from '../../http/error-responses.js';
import type { ZodApp } from '../../http/zod-app.js';
import { cacheHitOutcome, lookUpCache } from '../cache/cache-lookup.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { CallServices } from '../gateway-call.js';
import { GatewayCallScope } from '../gateway-call.js';
import { type ProviderAnswer, passthroughSerializer, providerAnswerSchema } from '../passthrough.js';
import type { JsonObject } from '../providers/provider.js';
import { runRoute } from '../routing/router.js';

/** Vectors are large and rarely worth keeping: the record stores how many, not what. */
function outputOf(body: JsonObject): unknown {
  return { embeddings: (body.data as unknown[] | undefined)?.length ?? 0 };
}

export function registerEmbeddingsRoute(app: ZodApp, deps: { call: CallServices; cache: ResponseCache }): void {
  app.post(
    '/v1/embeddings',
    {
      config: { access: access.apiKey('gateway') },
      schema: {
        tags: ['gateway'],
        summary: 'OpenAI-compatible embeddings through a provider or a route alias',
        security: [{ bearerAuth: [] }],
        body: embeddingsRequestSchema,
        response: { 200: providerAnswerSchema, ...OPENAI_CALL_ERRORS },
      },
      serializerCompiler: passthroughSerializer,
    },
    async (request, reply) => {
      const body = request.body;
      const call = await GatewayCallScope.begin({
        services: deps.call,
        request,
        reply,
        endpoint: 'embeddings',
        model: body.model,
        input: { input: body.input },
      });
      const cache = await lookUpCache({ cache: deps.cache, request, reply, call, endpoint: 'embeddings', body });
      if (cache.hit) {
        call.finish(cacheHitOutcome({ hit: cache.hit, output: outputOf(cache.hit.body) }), []);
        return reply.send(cache.hit.body as ProviderAnswer);
      }
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
        const answered = { provider: provider.name, model: target.model };
        call.finish(
          {
            ...answered,
            status: 'success',
            statusCode: 200,
            usage: result.usage,
            output: outputOf(result.body),
            cacheStatus: cache.missStatus,
          },
          attempts,
        );
        cache.remember({ ...answered, body: result.body });
        reply.header('x-switchyard-provider', provider.name).header('x-switchyard-attempts', String(attempts.length));
        return reply.send(result.body as ProviderAnswer);
      } catch (error) {
        throw call.fail(error);
      }
    },
  );
}
