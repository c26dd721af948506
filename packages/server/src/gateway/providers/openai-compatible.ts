import type { ChatCompletionRequest, EmbeddingsRequest } from '@switchyard/shared';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { jsonObjectSchema, parseJson } from '../../parse-json.js';
import { parseSse } from '../streams/sse.js';
import { type CallOptions, type ChatResult, type JsonObject, type Provider, usageFromOpenAi } from './provider.js';
import { ProviderError, streamBrokeOff, streamEndedEarly } from './provider-error.js';
import { postUpstream } from './upstream-post.js';

export type OpenAiCompatibleOptions = {
  /** The name clients use as the model prefix: `openai`, `groq`, `ollama`, … */
  name: string;
  /** Up to and including the version path, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  apiKey: string | undefined;
  dispatcher: Dispatcher;
  models?: readonly string[];
};

/**
 * OpenAI and every server that speaks its API (Groq, Together, Mistral, Ollama, vLLM, llama.cpp).
 * Requests pass through as they are; streams are read event by event and never buffered.
 */
export function createOpenAiCompatibleProvider(options: OpenAiCompatibleOptions): Provider {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};

  const post = (path: string, payload: JsonObject, callOptions: CallOptions) =>
    postUpstream({
      provider: options.name,
      url: `${baseUrl}${path}`,
      headers,
      payload,
      dispatcher: options.dispatcher,
      signal: callOptions.signal,
    });

  return {
    name: options.name,
    listModels: () => options.models ?? [],
    async chat(chatRequest: ChatCompletionRequest, callOptions: CallOptions): Promise<ChatResult> {
      if (!chatRequest.stream) {
        const response = await post('/chat/completions', chatRequest, callOptions);
        const body = parseJson({ text: await response.body.text(), schema: jsonObjectSchema });
        return { stream: false, body, usage: usageFromOpenAi(body.usage) };
      }
      // Always ask for usage, so streamed calls are costed too; the route hides it if the client did not ask.
      const payload = { ...chatRequest, stream_options: { ...chatRequest.stream_options, include_usage: true } };
      const response = await post('/chat/completions', payload, callOptions);
      return { stream: true, chunks: readChunks(options.name, response.body) };
    },
    async embeddings(embeddingsRequest: EmbeddingsRequest, callOptions: CallOptions) {
      const response = await post('/embeddings', embeddingsRequest, callOptions);
      const body = parseJson({ text: await response.body.text(), schema: jsonObjectSchema });
      return { body, usage: usageFromOpenAi(body.usage) };
    },
  };
}

/** The `error` member of a stream chunk; a field of another type, or another kind of error, reads as absent. */
const streamErrorSchema = z
  .object({ message: z.string().optional().catch(undefined), code: z.string().optional().catch(undefined) })
  .catch({});

async function* readChunks(provider: string, body: AsyncIterable<Uint8Array>): AsyncGenerator<JsonObject> {
  try {
    for await (const event of parseSse(body)) {
      if (event.data === '[DONE]') return;
      const chunk = parseJson({ text: event.data, schema: jsonObjectSchema });
      if (chunk.error) {
        const error = streamErrorSchema.parse(chunk.error);
        throw new ProviderError({
          provider,
          upstreamStatus: 500,
          code: error.code ?? 'upstream_error',
          message: error.message ?? 'stream error',
        });
      }
      yield chunk;
    }
  } catch (error) {
    throw streamBrokeOff(provider, error);
  }
  throw streamEndedEarly(provider, '[DONE]');
}
