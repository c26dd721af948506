import type { ChatCompletionRequest, ChatMessage, EmbeddingsRequest, Usage } from '@switchyard/shared';

/** An OpenAI chat.completion or chat.completion.chunk object, as JSON. */
export type JsonObject = Record<string, unknown>;

export type CallOptions = {
  signal: AbortSignal;
  /**
   * The client's request headers, for providers that read hints from them (the mock). Never forwarded,
   * except `anthropic-beta` on the native Messages call, where it decides which body fields Anthropic accepts.
   */
  requestHeaders: Readonly<Record<string, string | string[] | undefined>>;
};

export type ChatResult =
  | { stream: false; body: JsonObject; usage: Usage }
  /** Chunks in OpenAI's shape; the last one carries `usage` (requested from the provider even if the client did not). */
  | { stream: true; chunks: AsyncIterable<JsonObject> };

/** One event of an Anthropic Messages stream, as the upstream sent it. */
export type MessagesStreamEvent = {
  /** The SSE event name (`message_start`, `content_block_delta`, `ping`, …). */
  type: string;
  /** The event's `data:` text, unparsed, so it reaches the client byte for byte. */
  data: string;
  /** Usage counted so far in the stream, in our terms. */
  usage: Usage;
};

export type MessagesResult =
  | { stream: false; body: JsonObject; usage: Usage }
  | { stream: true; events: AsyncIterable<MessagesStreamEvent> };

/** One upstream: translates our (OpenAI-shaped) requests to its API and its answers back. */
export type Provider = {
  readonly name: string;
  /** Models to list on /v1/models, without the provider prefix. */
  listModels(): readonly string[];
  /** The output cap this provider sends upstream when a chat request sets none (budget holds use it). */
  readonly defaultMaxOutputTokens?: number;
  chat(request: ChatCompletionRequest, options: CallOptions): Promise<ChatResult>;
  /**
   * Anthropic's Messages API spoken natively, for providers that are Anthropic: the body goes up as
   * the client wrote it, so fields no translation knows (`cache_control`, `thinking`) survive.
   */
  messages?(body: JsonObject, options: CallOptions): Promise<MessagesResult>;
  /** Anthropic's own count of a Messages body's input tokens (`/v1/messages/count_tokens`), for providers that are Anthropic. */
  countMessageTokens?(body: JsonObject, options: CallOptions): Promise<number>;
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
