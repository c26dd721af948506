import { chatCompletionRequestSchema, openAiErrorSchema } from '@switchyard/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services, ZodApp } from '../app.js';
import { toHttpError } from '../http/error-handler.js';
import type { GatewayCall } from './call-recorder.js';
import { type ProviderAnswer, passthroughSerializer, providerAnswerSchema } from './passthrough.js';
import { type ChatResult, type JsonObject, NO_USAGE } from './providers/provider.js';
import { type Attempt, planRoute, type RoutingError, runRoute } from './router.js';
import { relayStream } from './stream-relay.js';
import { readTraceHeaders } from './trace-headers.js';
import { toClientError } from './upstream-error.js';

const errors = { 400: openAiErrorSchema, 401: openAiErrorSchema, 403: openAiErrorSchema, 404: openAiErrorSchema };

/** Aborts the upstream call when the client goes away before its answer is complete. */
export function abortOnDisconnect(request: FastifyRequest, reply: FastifyReply): AbortController {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  request.raw.on('aborted', () => controller.abort());
  return controller;
}

/**
 * Waits for a stream's first chunk, so that a failure before it counts against this attempt (and
 * can fall back) while one after it reaches the client as an SSE error.
 */
async function startStream(result: ChatResult): Promise<ChatResult> {
  if (!result.stream) return result;
  const iterator = result.chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* chunks() {
    if (first.done) return;
    yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { stream: true, chunks: chunks() };
}

/** The request as stored with the record: everything but the model, which has its own column. */
function inputOf(body: JsonObject): unknown {
  const { model: _model, ...rest } = body;
  return rest;
}

export function registerChatCompletionsRoute(app: ZodApp, services: Services): void {
  const { authenticator, providers, recorder, routes } = services;

  app.post(
    '/v1/chat/completions',
    {
      schema: {
        tags: ['gateway'],
        summary: 'OpenAI-compatible chat completion, streaming (SSE) or not, through a provider or a route alias',
        security: [{ bearerAuth: [] }],
        body: chatCompletionRequestSchema,
        response: { 200: providerAnswerSchema, ...errors },
      },
      serializerCompiler: passthroughSerializer,
    },
    async (request, reply) => {
      const principal = await authenticator.apiKey(request, 'gateway');
      const trace = readTraceHeaders(request.headers);
      const body = request.body;
      const plan = await planRoute({ requested: body.model, orgId: principal.orgId, routes });
      const controller = abortOnDisconnect(request, reply);
      const startedAt = new Date();
      const started = performance.now();
      const record = (
        outcome: Pick<GatewayCall, 'status' | 'statusCode' | 'usage' | 'provider' | 'model'> & Partial<GatewayCall>,
        attempts: Attempt[],
      ) =>
        recorder.record({
          principal,
          requestId: request.id,
          trace,
          endpoint: 'chat.completions',
          startedAt,
          latencyMs: performance.now() - started,
          attempts: attempts.length,
          routing: { requested: plan.requested, alias: plan.alias, attempts },
          input: inputOf(body),
          ...outcome,
        });

      let routed: Awaited<ReturnType<typeof runRoute<ChatResult>>>;
      try {
        routed = await runRoute({
          plan,
          providers,
          signal: controller.signal,
          call: async (provider, upstreamModel, signal) =>
            startStream(
              await provider.chat({ ...body, model: upstreamModel }, { signal, requestHeaders: request.headers }),
            ),
        });
      } catch (error) {
        const { last, attempts = [] } = error as RoutingError;
        const clientError = toClientError(last) ?? toHttpError(last ?? error).httpError;
        const tried = attempts.at(-1);
        record(
          {
            status: 'error',
            statusCode: clientError.status,
            usage: NO_USAGE,
            error: clientError.message,
            provider: tried?.provider ?? 'none',
            model: tried?.model ?? plan.requested,
          },
          attempts,
        );
        reply.header('x-switchyard-attempts', String(attempts.length));
        throw toClientError(last) ?? last ?? error;
      }

      const { value: result, provider, target, attempts } = routed;
      const answered = { provider: provider.name, model: target.model };
      reply.header('x-switchyard-provider', provider.name).header('x-switchyard-attempts', String(attempts.length));
      if (!result.stream) {
        record(
          { ...answered, status: 'success', statusCode: 200, usage: result.usage, output: result.body.choices },
          attempts,
        );
        // The provider's body as it is: no response schema, so no re-validation on the hot path.
        return reply.send(result.body as ProviderAnswer);
      }
      const relayed = await relayStream({
        reply,
        chunks: result.chunks,
        started,
        clientWantsUsage: body.stream_options?.include_usage === true,
        signal: controller.signal,
      });
      record(
        {
          ...answered,
          status: relayed.failure ? 'error' : 'success',
          // 499: the client closed the connection before the answer was complete (as nginx logs it).
          statusCode: relayed.failure ? (relayed.clientClosed ? 499 : 502) : 200,
          usage: relayed.usage,
          ttftMs: relayed.ttftMs,
          error: relayed.failure,
          output: relayed.output,
        },
        attempts,
      );
    },
  );
}
