import type { Usage } from './ingest-event.js';
import { asRecord, tokenCount } from './provider-fields.js';
import { definedFields } from './recorder.js';

/** OpenAI's `prompt_tokens` already include the cached ones, as Switchyard's `inputTokens` do. */
export function usageFromOpenAI(value: unknown): Usage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const usage = asRecord(value);
  return definedFields({
    inputTokens: tokenCount(usage.prompt_tokens),
    outputTokens: tokenCount(usage.completion_tokens) ?? 0,
    cachedInputTokens: tokenCount(asRecord(usage.prompt_tokens_details).cached_tokens),
  });
}
