import { z } from 'zod';
import { access } from '../../auth/index.js';
import { ANTHROPIC_CALL_ERRORS } from '../../http/error-responses.js';
import { HttpError } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import type { CallServices } from '../gateway-call.js';
import { GatewayCallScope } from '../gateway-call.js';
import { ClientEventStream } from '../messages/client-event-stream.js';
import { type MessagesRequest, messagesRequestSchema, toChatRequest } from '../messages/from-anthropic.js';
import { recordedMessageOf } from '../messages/recorded-message.js';
import { relayNativeStream } from '../messages/relay-native-stream.js';
import { relayTranslatedStream } from '../messages/relay-translated-stream.js';
import { toAnthropicMessage } from '../messages/to-anthropic.js';
import { passthroughSerializer } from '../passthrough.js';
import type { CallOptions, ChatResult, MessagesResult, Provider } from '../providers/provider.js';
import { runRoute } from '../routing/router.js';
import { awaitFirstItem } from '../streams/first-item.js';
import { startStream } from '../streams/stream-relay.js';

/** A provider's answer: Anthropic's own (native), or another provider's in OpenAI's shape, to translate. */
type Answer = { native: true; result: MessagesResult } | { native: false; result: ChatResult };

/**
 * One attempt: Anthropic providers take the client's body as it is (no field lost to translation);
 * the others get it translated to OpenAI's shape. Streams resolve once their first event is in hand.
 */
async function callProvider(options: {
  provider: Provider;
  body: MessagesRequest;
  callOptions: CallOptions;
}): Promise<Answer> {
  const { provider, body, callOptions } = options;
  if (provider.messages) {
    const result = await provider.messages(body, callOptions);
    return {
      native: true,
      result: result.stream ? { stream: true, events: await awaitFirstItem(result.events) } : result,
    };
  }
  return { native: false, result: await startStream(await provider.chat(toChatRequest(body), callOptions)) };
}

/**
 * Anthropic's server-held message threads send only the new messages of each turn: answering one
 * without the history the thread holds would lose the conversation without a word. Anthropic's own
 * rejection says so, and the SDK's threads continue unthreaded on it when asked to.
 */
function threadUnsupported(): HttpError {
  return new HttpError(400, {
    code: 'thread_unsupported_request',
    message:
      'thread: this gateway holds no message threads; send the whole conversation in messages ' +
      "(the Anthropic SDK's tool runner: thread: false, or unsupportedRequestBehavior: 'continue_unthreaded')",
    param: 'thread',
    details: { error_code: 'thread_unsupported_request', unsupported: ['thread'] },
  });
}

/** `POST /v1/messages`: the Anthropic Messages API, so the Anthropic SDK works with any provider behind it. */
export function registerMessagesRoute(app: ZodApp, deps: { call: CallServices }): void {
  app.post(
    '/v1/messages',
    {
      config: { access: access.apiKey('gateway') },
      schema: {
        tags: ['gateway'],
        summary:
          'Anthropic Messages API (for the Anthropic SDK, baseURL = this server), through any provider or route alias',
        security: [{ bearerAuth: [] }],
        body: messagesRequestSchema,
        response: { 200: z.looseObject({ type: z.string() }), ...ANTHROPIC_CALL_ERRORS },
      },
      serializerCompiler: passthroughSerializer,
    },
    async (request, reply) => {
      const body = request.body;
      if (body.thread != null) throw threadUnsupported();
      const { model: _model, ...input } = body;
      const call = await GatewayCallScope.begin({
        services: deps.call,
        request,
        reply,
        endpoint: 'messages',
        model: body.model,
        input,
      });
      let routed: Awaited<ReturnType<typeof runRoute<Answer>>>;
      try {
        routed = await runRoute({
          plan: call.plan,
          providers: call.providers,
          signal: call.signal,
          call: (provider, upstreamModel, signal) =>
            callProvider({
              provider,
              body: { ...body, model: upstreamModel },
              callOptions: { signal, requestHeaders: request.headers },
            }),
        });
      } catch (error) {
        throw call.fail(error);
      }
      const { value: answer, provider, target, attempts } = routed;
      const answered = { provider: provider.name, model: target.model };
      reply.header('x-switchyard-provider', provider.name).header('x-switchyard-attempts', String(attempts.length));
      if (!answer.result.stream) {
        // Anthropic's own message goes out as it came; other providers' answers are translated.
        const message = answer.native
          ? answer.result.body
          : toAnthropicMessage(answer.result.body, answer.result.usage, body.model);
        call.finish(
          {
            ...answered,
            status: 'success',
            statusCode: 200,
            usage: answer.result.usage,
            output: recordedMessageOf(message),
          },
          attempts,
        );
        return reply.send(message as { type: string });
      }

      const stream = new ClientEventStream({ reply, signal: call.signal });
      const relayed = answer.native
        ? await relayNativeStream({ stream, events: answer.result.events, started: call.started })
        : await relayTranslatedStream({
            stream,
            chunks: answer.result.chunks,
            model: body.model,
            started: call.started,
          });
      call.finish(
        {
          ...answered,
          status: relayed.failure ? 'error' : 'success',
          statusCode: relayed.failure ? (call.signal.aborted ? 499 : 502) : 200,
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
