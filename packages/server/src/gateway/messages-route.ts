import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Usage } from '@switchyard/shared';
import { z } from 'zod';
import type { Services, ZodApp } from '../app.js';
import { toHttpError } from '../http/error-handler.js';
import { GatewayCallScope } from './gateway-call.js';
import { messagesRequestSchema, toChatRequest } from './messages/from-anthropic.js';
import { AnthropicEventWriter, toAnthropicMessage } from './messages/to-anthropic.js';
import { passthroughSerializer } from './passthrough.js';
import { type ChatResult, type JsonObject, NO_USAGE, usageFromOpenAi } from './providers/provider.js';
import { runRoute } from './router.js';
import { startStream } from './stream-relay.js';
import { toClientError } from './upstream-error.js';

const anthropicErrorSchema = z.object({
  type: z.literal('error'),
  error: z.object({ type: z.string(), message: z.string() }),
});
const errors = {
  400: anthropicErrorSchema,
  401: anthropicErrorSchema,
  402: anthropicErrorSchema,
  403: anthropicErrorSchema,
  404: anthropicErrorSchema,
  429: anthropicErrorSchema,
};

/** `POST /v1/messages`: the Anthropic Messages API, so the Anthropic SDK works with any provider behind it. */
export function registerMessagesRoute(app: ZodApp, services: Services): void {
  app.post(
    '/v1/messages',
    {
      schema: {
        tags: ['gateway'],
        summary:
          'Anthropic Messages API (for the Anthropic SDK, baseURL = this server), through any provider or route alias',
        security: [{ bearerAuth: [] }],
        body: messagesRequestSchema,
        response: { 200: z.looseObject({ type: z.string() }), ...errors },
      },
      serializerCompiler: passthroughSerializer,
    },
    async (request, reply) => {
      const body = request.body;
      const { model: _model, ...input } = body;
      const call = await GatewayCallScope.begin({
        services,
        request,
        reply,
        endpoint: 'messages',
        model: body.model,
        input,
      });
      const chatRequest = toChatRequest(body);
      let routed: Awaited<ReturnType<typeof runRoute<ChatResult>>>;
      try {
        routed = await runRoute({
          plan: call.plan,
          providers: call.providers,
          signal: call.signal,
          call: async (provider, upstreamModel, signal) =>
            startStream(
              await provider.chat(
                { ...chatRequest, model: upstreamModel },
                { signal, requestHeaders: request.headers },
              ),
            ),
        });
      } catch (error) {
        throw call.fail(error);
      }
      const { value: result, provider, target, attempts } = routed;
      const answered = { provider: provider.name, model: target.model };
      reply.header('x-switchyard-provider', provider.name).header('x-switchyard-attempts', String(attempts.length));
      if (!result.stream) {
        const message = toAnthropicMessage(result.body, result.usage, body.model);
        call.finish(
          { ...answered, status: 'success', statusCode: 200, usage: result.usage, output: message.content },
          attempts,
        );
        return reply.send(message as { type: string });
      }

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
      });
      const writer = new AnthropicEventWriter(`msg_${randomUUID().replaceAll('-', '')}`, body.model);
      const write = async (text: string) => {
        if (text && !raw.write(text)) await once(raw, 'drain');
      };
      let usage: Usage = NO_USAGE;
      let ttftMs: number | undefined;
      let failure: string | undefined;
      try {
        await write(writer.start());
        for await (const chunk of result.chunks as AsyncIterable<JsonObject>) {
          if (chunk.usage) usage = usageFromOpenAi(chunk.usage);
          const events = writer.chunk(chunk);
          if (ttftMs === undefined && events.includes('content_block_delta')) ttftMs = performance.now() - call.started;
          await write(events);
        }
        await write(writer.finish(usage));
      } catch (error) {
        const httpError = toClientError(error) ?? toHttpError(error).httpError;
        failure = call.signal.aborted ? 'client closed the stream' : httpError.message;
        // Never a clean end after a failure: Anthropic's SDK raises on an `error` event.
        if (!raw.destroyed)
          raw.write(
            `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message: httpError.message } })}\n\n`,
          );
      } finally {
        raw.end();
      }
      call.finish(
        {
          ...answered,
          status: failure ? 'error' : 'success',
          statusCode: failure ? (call.signal.aborted ? 499 : 502) : 200,
          usage,
          ttftMs,
          error: failure,
        },
        attempts,
      );
    },
  );
}
