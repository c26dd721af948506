import type { ChatCompletionRequest, ChatMessage, EmbeddingsRequest, Usage } from '@switchyard/shared';

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

/** Our usage as OpenAI's `usage` object: the inverse of `usageFromOpenAi`. */
export function toOpenAiUsage(usage: Usage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
  };
}

/** The text of a message's content: the string itself, or its text parts joined. */
export function contentText(content: ChatMessage['content']): string {
  if (!content) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
}

/** The parts of a `data:<media type>;base64,<data>` URL; undefined for any other URL. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = url.match(/^data:([^;]+);base64,(.*)$/s);
  return match?.[1] && match[2] !== undefined ? { mediaType: match[1], data: match[2] } : undefined;
}
