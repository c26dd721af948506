import { once } from 'node:events';
import {
  chatCompletionRequestSchema,
  computeCostUsd,
  findPrice,
  openAiErrorSchema,
  type Usage,
} from '@switchyard/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services, ZodApp } from '../app.js';
import { toHttpError } from '../http/error-handler.js';
import { type ProviderAnswer, passthroughSerializer, providerAnswerSchema } from './passthrough.js';
import { type JsonObject, NO_USAGE, usageFromOpenAi } from './providers/provider.js';
import { formatSse } from './sse.js';
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

export function registerChatCompletionsRoute(app: ZodApp, services: Services): void {
  const { authenticator, providers, callMetrics } = services;

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
      await authenticator.apiKey(request, 'gateway');
      const body = request.body;
      const { provider, upstreamModel } = providers.resolve(body.model);
      const controller = abortOnDisconnect(request, reply);
      const started = performance.now();
      const finish = (status: 'success' | 'error', usage: Usage, ttftMs?: number) => {
        callMetrics.observe({
          provider: provider.name,
          model: body.model,
          status,
          usage,
          costUsd: computeCostUsd(findPrice(body.model), usage),
          latencyMs: performance.now() - started,
          ttftMs,
        });
      };

      let result: Awaited<ReturnType<typeof provider.chat>>;
      try {
        result = await provider.chat(
          { ...body, model: upstreamModel },
          { signal: controller.signal, requestHeaders: request.headers },
        );
      } catch (error) {
        finish('error', NO_USAGE);
        throw toClientError(error) ?? error;
      }
      reply.header('x-switchyard-provider', provider.name).header('x-switchyard-attempts', '1');
      if (!result.stream) {
        finish('success', result.usage);
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
      let usage = NO_USAGE;
      let ttftMs: number | undefined;
      let status: 'success' | 'error' = 'success';
      try {
        for await (const chunk of result.chunks) {
          if (chunk.usage) usage = usageFromOpenAi(chunk.usage);
          if (!clientWantsUsage) {
            // We asked for usage on the client's behalf; its stream stays as it would have been.
            if (Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage) continue;
            delete chunk.usage;
          }
          if (ttftMs === undefined && hasOutput(chunk)) ttftMs = performance.now() - started;
          if (!raw.write(formatSse(JSON.stringify(chunk)))) await once(raw, 'drain');
        }
        raw.write(formatSse('[DONE]'));
      } catch (error) {
        status = 'error';
        // Never a clean end after a failure: the client must see that the answer is incomplete.
        const httpError = toClientError(error) ?? toHttpError(error).httpError;
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
        finish(status, usage, ttftMs);
      }
    },
  );
}
