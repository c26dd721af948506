import type { ChatCompletionRequest, Usage } from '@switchyard/shared';
import type { Dispatcher } from 'undici';
import { jsonObjectSchema, parseJson } from '../../parse-json.js';
import { parseSse } from '../streams/sse.js';
import { type AnthropicPost, countAnthropicTokens, sendAnthropicMessages } from './anthropic-messages.js';
import { anthropicStreamEventSchema } from './anthropic-stream-event.js';
import {
  DEFAULT_MAX_TOKENS,
  FINISH_REASONS,
  fromAnthropicMessage,
  toAnthropicRequest,
  usageFromAnthropic,
} from './anthropic-translate.js';
import { type CallOptions, type ChatResult, type JsonObject, type Provider, toOpenAiUsage } from './provider.js';
import { ProviderError, streamBrokeOff, streamEndedEarly } from './provider-error.js';
import { postUpstream } from './upstream-post.js';

export const ANTHROPIC_VERSION = '2023-06-01';

/**
 * Anthropic's Messages API behind our OpenAI-shaped interface (requests, answers and streams
 * translated), and natively through `messages` for clients that already speak it.
 */
export function createAnthropicProvider(options: {
  apiKey: string | undefined;
  baseUrl: string;
  dispatcher: Dispatcher;
  /** The model prefix; an org may register Anthropic under its own name. */
  name?: string;
}): Provider {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const name = options.name ?? 'anthropic';

  const post: AnthropicPost = (request) =>
    postUpstream({
      provider: name,
      url: `${baseUrl}${request.path}`,
      headers: {
        ...request.headers,
        'anthropic-version': ANTHROPIC_VERSION,
        ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
      },
      payload: request.payload,
      dispatcher: options.dispatcher,
      signal: request.signal,
    });

  return {
    name,
    listModels: () => [],
    defaultMaxOutputTokens: DEFAULT_MAX_TOKENS,
    async chat(chatRequest: ChatCompletionRequest, callOptions: CallOptions): Promise<ChatResult> {
      const payload = toAnthropicRequest(chatRequest);
      const response = await post({ path: '/v1/messages', payload, signal: callOptions.signal });
      if (!chatRequest.stream) {
        const message = parseJson({ text: await response.body.text(), schema: jsonObjectSchema });
        return { stream: false, ...fromAnthropicMessage(message) };
      }
      return { stream: true, chunks: translateStream(name, response.body) };
    },
    messages: (body, callOptions) => sendAnthropicMessages({ provider: name, post, body, callOptions }),
    countMessageTokens: (body, callOptions) => countAnthropicTokens({ provider: name, post, body, callOptions }),
    async embeddings() {
      throw new ProviderError({
        provider: name,
        upstreamStatus: 400,
        code: 'unsupported_endpoint',
        message: 'anthropic has no embeddings API; use another provider for embeddings',
      });
    },
  };
}

/** Anthropic's stream events → OpenAI chunks, ending with a usage chunk (as with include_usage); errors name `provider`. */
async function* translateStream(provider: string, body: AsyncIterable<Uint8Array>): AsyncGenerator<JsonObject> {
  let base: JsonObject = { object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000) };
  let usage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
  // Anthropic numbers all content blocks; OpenAI numbers tool calls only.
  const toolIndexOfBlock = new Map<number, number>();
  const chunk = (delta: JsonObject, finishReason: string | null = null): JsonObject => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
  let stopped = false;
  try {
    for await (const sse of parseSse(body)) {
      const event = parseJson({ text: sse.data, schema: anthropicStreamEventSchema });
      switch (event.type) {
        case 'message_start':
          base = { ...base, id: event.message?.id, model: event.message?.model };
          usage = usageFromAnthropic(event.message?.usage);
          yield chunk({ role: 'assistant', content: '' });
          break;
        case 'content_block_start':
          if (event.content_block?.type === 'tool_use') {
            const toolIndex = toolIndexOfBlock.size;
            toolIndexOfBlock.set(event.index ?? 0, toolIndex);
            yield chunk({
              tool_calls: [
                {
                  index: toolIndex,
                  id: event.content_block.id,
                  type: 'function',
                  function: { name: event.content_block.name, arguments: '' },
                },
              ],
            });
          }
          break;
        case 'content_block_delta':
          if (event.delta?.type === 'text_delta') yield chunk({ content: event.delta.text ?? '' });
          else if (event.delta?.type === 'input_json_delta') {
            yield chunk({
              tool_calls: [
                {
                  index: toolIndexOfBlock.get(event.index ?? 0) ?? 0,
                  function: { arguments: event.delta.partial_json ?? '' },
                },
              ],
            });
          }
          break;
        case 'message_delta':
          if (event.usage?.output_tokens !== undefined) usage = { ...usage, outputTokens: event.usage.output_tokens };
          yield chunk({}, FINISH_REASONS[String(event.delta?.stop_reason)] ?? 'stop');
          break;
        case 'message_stop':
          stopped = true;
          yield { ...base, choices: [], usage: toOpenAiUsage(usage) };
          return;
        case 'error':
          throw new ProviderError({
            provider,
            upstreamStatus: 500,
            code: event.error?.type ?? 'stream_error',
            message: `${provider} stream error: ${event.error?.message ?? 'unknown'}`,
          });
        default:
          // ping, content_block_stop: nothing to relay.
          break;
      }
    }
  } catch (error) {
    throw streamBrokeOff(provider, error);
  }
  if (!stopped) throw streamEndedEarly(provider, 'message_stop');
}
