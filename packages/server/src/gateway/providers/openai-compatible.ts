import type { ChatCompletionRequest, EmbeddingsRequest } from '@switchyard/shared';
import { type Dispatcher, request } from 'undici';
import { ProviderError } from '../provider-error.js';
import { parseSse } from '../sse.js';
import { type CallOptions, type ChatResult, type JsonObject, type Provider, usageFromOpenAi } from './provider.js';

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
  const headers = {
    'content-type': 'application/json',
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };

  async function post(path: string, payload: JsonObject, callOptions: CallOptions) {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(`${baseUrl}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(payload),
        dispatcher: options.dispatcher,
        signal: callOptions.signal,
      });
    } catch (error) {
      const aborted = callOptions.signal.aborted;
      throw new ProviderError({
        provider: options.name,
        upstreamStatus: 0,
        code: aborted ? 'upstream_aborted' : 'upstream_unreachable',
        message: `${options.name} could not be reached: ${(error as Error).message}`,
        cause: error,
      });
    }
    if (response.statusCode >= 400) throw await errorFrom(options.name, response);
    return response;
  }

  return {
    name: options.name,
    listModels: () => options.models ?? [],
    async chat(chatRequest: ChatCompletionRequest, callOptions: CallOptions): Promise<ChatResult> {
      if (!chatRequest.stream) {
        const response = await post('/chat/completions', chatRequest, callOptions);
        const body = (await response.body.json()) as JsonObject;
        return { stream: false, body, usage: usageFromOpenAi(body.usage) };
      }
      // Always ask for usage, so streamed calls are costed too; the route hides it if the client did not ask.
      const payload = { ...chatRequest, stream_options: { ...chatRequest.stream_options, include_usage: true } };
      const response = await post('/chat/completions', payload, callOptions);
      return { stream: true, chunks: readChunks(options.name, response.body) };
    },
    async embeddings(embeddingsRequest: EmbeddingsRequest, callOptions: CallOptions) {
      const response = await post('/embeddings', embeddingsRequest, callOptions);
      const body = (await response.body.json()) as JsonObject;
      return { body, usage: usageFromOpenAi(body.usage) };
    },
  };
}

async function* readChunks(provider: string, body: AsyncIterable<Uint8Array>): AsyncGenerator<JsonObject> {
  try {
    for await (const event of parseSse(body)) {
      if (event.data === '[DONE]') return;
      const chunk = JSON.parse(event.data) as JsonObject;
      if (chunk.error) {
        const error = chunk.error as { message?: string; code?: string };
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
    if (error instanceof ProviderError) throw error;
    throw new ProviderError({
      provider,
      upstreamStatus: 0,
      code: 'upstream_stream_interrupted',
      message: `${provider} stream broke off: ${(error as Error).message}`,
      cause: error,
    });
  }
  throw new ProviderError({
    provider,
    upstreamStatus: 0,
    code: 'upstream_stream_interrupted',
    message: `${provider} stream ended without [DONE]`,
  });
}

async function errorFrom(provider: string, response: Dispatcher.ResponseData): Promise<ProviderError> {
  const text = await response.body.text().catch(() => '');
  let message = text.slice(0, 500) || `HTTP ${response.statusCode}`;
  let code = `upstream_${response.statusCode}`;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string; code?: string; type?: string } | string };
    if (typeof parsed.error === 'string') message = parsed.error;
    else if (parsed.error?.message) {
      message = parsed.error.message;
      code = parsed.error.code ?? parsed.error.type ?? code;
    }
  } catch {
    // Not JSON: keep the text.
  }
  const retryAfter = Number(response.headers['retry-after']);
  return new ProviderError({
    provider,
    upstreamStatus: response.statusCode,
    code,
    message: `${provider} answered ${response.statusCode}: ${message}`,
    retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
  });
}
