import { chatCompletionRequestSchema, isPlainChatRequest } from '@switchyard/shared';
import { access } from '../../auth/index.js';
import { OPENAI_CALL_ERRORS } from '../../http/error-responses.js';
import { withFastPath } from '../../http/fast-path-validator.js';
import type { ZodApp } from '../../http/zod-app.js';
import { cacheHitOutcome, lookUpCache } from '../cache/cache-lookup.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { replayAsChunks } from '../cache/response-cache.js';
import type { CallServices } from '../gateway-call.js';
import { GatewayCallScope } from '../gateway-call.js';
import { type ProviderAnswer, passthroughSerializer, providerAnswerSchema } from '../passthrough.js';
import { type ChatResult, type JsonObject, toOpenAiUsage } from '../providers/provider.js';
import { runRoute } from '../routing/router.js';
import { relayStream, startStream } from '../streams/stream-relay.js';

/** The request as stored with the record: everything but the model, which has its own column. */
function inputOf(body: JsonObject): unknown {
  const { model: _model, ...rest } = body;
  return rest;
}

export function registerChatCompletionsRoute(app: ZodApp, deps: { call: CallServices; cache: ResponseCache }): void {
  app.post(
    '/v1/chat/completions',
    {
      config: { access: access.apiKey('gateway') },
      schema: {
        tags: ['gateway'],
        summary: 'OpenAI-compatible chat completion, streaming (SSE) or not, through a provider or a route alias',
        security: [{ bearerAuth: [] }],
        body: chatCompletionRequestSchema,
        response: { 200: providerAnswerSchema, ...OPENAI_CALL_ERRORS },
      },
      validatorCompiler: withFastPath(isPlainChatRequest),
      serializerCompiler: passthroughSerializer,
    },
    async (request, reply) => {
      const body = request.body;
      const call = await GatewayCallScope.begin({
        services: deps.call,
        request,
        reply,
        endpoint: 'chat.completions',
        model: body.model,
        input: inputOf(body),
      });
      const cache = await lookUpCache({
        cache: deps.cache,
        request,
        reply,
        call,
        endpoint: 'chat.completions',
        body,
      });
      if (cache.hit) {
        const outcome = cacheHitOutcome({ hit: cache.hit, output: cache.hit.body.choices });
        if (!body.stream) {
          call.finish(outcome, []);
          return reply.send(cache.hit.body as ProviderAnswer);
        }
        const relayed = await relayStream({
          reply,
          chunks: replayAsChunks(cache.hit.body),
          started: call.started,
          clientWantsUsage: body.stream_options?.include_usage === true,
          signal: call.signal,
        });
        call.finish({ ...outcome, ttftMs: relayed.ttftMs }, []);
        return;
      }
      let routed: Awaited<ReturnType<typeof runRoute<ChatResult>>>;
      try {
        routed = await runRoute({
          plan: call.plan,
          providers: call.providers,
          signal: call.signal,
          call: async (provider, upstreamModel, signal) =>
            startStream(
              await provider.chat({ ...body, model: upstreamModel }, { signal, requestHeaders: request.headers }),
            ),
        });
      } catch (error) {
        throw call.fail(error);
      }

      const { value: result, provider, target, attempts } = routed;
      const answered = { provider: provider.name, model: target.model };
      reply.header('x-switchyard-provider', provider.name).header('x-switchyard-attempts', String(attempts.length));
      const cacheStatus = cache.missStatus;
      if (!result.stream) {
        call.finish(
          {
            ...answered,
            status: 'success',
            statusCode: 200,
            usage: result.usage,
            output: result.body.choices,
            cacheStatus,
          },
          attempts,
        );
        cache.remember({ ...answered, body: result.body });
        // The provider's body as it is: no response schema, so no re-validation on the hot path.
        return reply.send(result.body as ProviderAnswer);
      }
      const relayed = await relayStream({
        reply,
        chunks: result.chunks,
        started: call.started,
        clientWantsUsage: body.stream_options?.include_usage === true,
        signal: call.signal,
      });
      call.finish(
        {
          ...answered,
          status: relayed.failure ? 'error' : 'success',
          // 499: the client closed the connection before the answer was complete (as nginx logs it).
          statusCode: relayed.failure ? (relayed.clientClosed ? 499 : 502) : 200,
          usage: relayed.usage,
          ttftMs: relayed.ttftMs,
          error: relayed.failure,
          output: relayed.output,
          cacheStatus,
        },
        attempts,
      );
      if (!relayed.failure) {
        const usage = toOpenAiUsage(relayed.usage);
        cache.remember({
          ...answered,
          body: {
            object: 'chat.completion',
            id: `chatcmpl-${request.id}`,
            created: Math.floor(Date.now() / 1000),
            model: target.model,
            choices: relayed.output,
            usage,
          },
        });
      }
    },
  );
}
