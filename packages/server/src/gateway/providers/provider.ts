import type { ChatCompletionRequest, EmbeddingsRequest, Usage } from '@switchyard/shared';

/** An OpenAI chat.completion or chat.completion.chunk object, as JSON. */
export type JsonObject = Record<string, unknown>;

export type CallOptions = {
  signal: AbortSignal;
  /** The client's request headers, for providers that read hints from them (the mock). Never forwarded. */
  requestHeaders: Readonly<Record<string, string | string[] | undefined>>;
};

export type ChatResult =
  | { stream: false; body: JsonObject; usage: Usage }
  /** Chunks in OpenAI's shape; the last one carries `usage` (requested from the provider even if the client did not). */
  | { stream: true; chunks: AsyncIterable<JsonObject> };

/** One upstream: translates our (OpenAI-shaped) requests to its API and its answers back. */
export type Provider = {
  readonly name: string;
  /** Models to list on /v1/models, without the provider prefix. */
  listModels(): readonly string[];
  chat(request: ChatCompletionRequest, options: CallOptions): Promise<ChatResult>;
  embeddings(request: EmbeddingsRequest, options: CallOptions): Promise<{ body: JsonObject; usage: Usage }>;
};

export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };

/** OpenAI's `usage` object in our names. */
export function usageFromOpenAi(usage: unknown): Usage {
  const value = (usage ?? {}) as {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number } | null;
  };
  return {
    inputTokens: value.prompt_tokens ?? 0,
    outputTokens: value.completion_tokens ?? 0,
    cachedInputTokens: value.prompt_tokens_details?.cached_tokens ?? 0,
  };
}
