import type { Usage } from './ingest-event.js';
import { asRecord, tokenCount } from './provider-fields.js';
import { definedFields } from './recorder.js';

/**
 * Anthropic counts cache reads and cache writes apart from `input_tokens`; Switchyard's
 * `inputTokens` includes them (as OpenAI's prompt count does, and as the gateway records them).
 */
export function usageFromAnthropic(value: unknown): Usage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const usage = asRecord(value);
  const input = tokenCount(usage.input_tokens);
  const cacheRead = tokenCount(usage.cache_read_input_tokens) ?? 0;
  const cacheWrite = tokenCount(usage.cache_creation_input_tokens) ?? 0;
  return definedFields({
    inputTokens: input === undefined ? undefined : input + cacheRead + cacheWrite,
    outputTokens: tokenCount(usage.output_tokens),
    cachedInputTokens: tokenCount(usage.cache_read_input_tokens),
  });
}

/** Later usage (a `message_delta`'s) overrides earlier (the `message_start`'s) field by field. */
export function mergeAnthropicUsage(earlier: unknown, later: unknown): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...asRecord(earlier) };
  for (const [field, value] of Object.entries(asRecord(later)))
    if (value !== null && value !== undefined) merged[field] = value;
  return merged;
}
