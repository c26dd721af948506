import { once } from 'node:events';
import { chatCompletionRequestSchema, openAiErrorSchema, type Usage } from '@switchyard/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services, ZodApp } from '../app.js';
import { toHttpError } from '../http/error-handler.js';
import type { GatewayCall } from './call-recorder.js';
import { type ProviderAnswer, passthroughSerializer, providerAnswerSchema } from './passthrough.js';
import { type JsonObject, NO_USAGE, usageFromOpenAi } from './providers/provider.js';
import { formatSse } from './sse.js';
import { StreamAccumulator } from './stream-accumulator.js';
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

function hasOutput(chunk: JsonObject): boolean {
  const choices = chunk.choices as Array<{ delta?: { content?: string | null; tool_calls?: unknown[] } }> | undefined;
  return Boolean(choices?.some((choice) => choice.delta?.content || choice.delta?.tool_calls?.length));
}

/** The request as stored with the record: everything but the model, which has its own column. */
function inputOf(body: JsonObject): unknown {
  const { model: _model, ...rest } = body;
  return rest;
}

export function registerChatCompletionsRoute(app: ZodApp, services: Services): void {
  const { authenticator, providers, recorder } = services;

  app.post(
    '/v1/chat/completions',
    {
      schema: {
        tags: ['gateway'],
        summary: 'OpenAI-compatible chat completion, streaming (SSE) or not, through any configured provider',
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
      const { provider, upstreamModel } = providers.resolve(body.model);
      const controller = abortOnDisconnect(request, reply);
      const startedAt = new Date();
      const started = performance.now();
      const record = (outcome: Pick<GatewayCall, 'status' | 'statusCode' | 'usage'> & Partial<GatewayCall>) =>
        recorder.record({
          principal,
          requestId: request.id,
          trace,
          endpoint: 'chat.completions',
          provider: provider.name,
          model: body.model,
          startedAt,
          latencyMs: performance.now() - started,
          attempts: 1,
          input: inputOf(body),
          ...outcome,
        });

      let result: Awaited<ReturnType<typeof provider.chat>>;
      try {
        result = await provider.chat(
          { ...body, model: upstreamModel },
          { signal: controller.signal, requestHeaders: request.headers },
        );
      } catch (error) {
        const clientError = toClientError(error) ?? toHttpError(error).httpError;
        record({ status: 'error', statusCode: clientError.status, usage: NO_USAGE, error: clientError.message });
        throw toClientError(error) ?? error;
      }
      reply.header('x-switchyard-provider', provider.name).header('x-switchyard-attempts', '1');
      if (!result.stream) {
        record({ status: 'success', statusCode: 200, usage: result.usage, output: result.body.choices });
        // The provider's body as it is: no response schema, so no re-validation on the hot path.
        return reply.send(result.body as ProviderAnswer);
      }

      // From here we write the response ourselves, event by event.
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      });
      const clientWantsUsage = body.stream_options?.include_usage === true;
      const output = new StreamAccumulator();
      let usage: Usage = NO_USAGE;
      let ttftMs: number | undefined;
      let failure: string | undefined;
      try {
        for await (const chunk of result.chunks) {
          if (chunk.usage) usage = usageFromOpenAi(chunk.usage);
          if (ttftMs === undefined && hasOutput(chunk)) ttftMs = performance.now() - started;
          output.add(chunk);
          if (!clientWantsUsage) {
            // We asked for usage on the client's behalf; its stream stays as it would have been.
            if (Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage) continue;
            delete chunk.usage;
          }
          if (!raw.write(formatSse(JSON.stringify(chunk)))) await once(raw, 'drain');
        }
        raw.write(formatSse('[DONE]'));
      } catch (error) {
        // Never a clean end after a failure: the client must see that the answer is incomplete.
        const httpError = toClientError(error) ?? toHttpError(error).httpError;
        failure = controller.signal.aborted ? 'client closed the stream' : httpError.message;
        if (!raw.destroyed) {
          raw.write(
            formatSse(
              JSON.stringify({
                error: { message: httpError.message, type: 'server_error', code: httpError.code, param: null },
              }),
            ),
          );
        }
        if (!(toClientError(error) || controller.signal.aborted)) request.log.error({ err: error }, 'stream failed');
      } finally {
        raw.end();
        record({
          status: failure ? 'error' : 'success',
          // 499: the client closed the connection before the answer was complete (as nginx logs it).
          statusCode: failure ? (controller.signal.aborted ? 499 : 502) : 200,
          usage,
          ttftMs,
          error: failure,
          output: output.choices(),
        });
      }
    },
  );
}
