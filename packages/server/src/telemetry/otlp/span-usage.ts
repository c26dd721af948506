import type { AttributeReader } from './attribute-reader.js';

export type SpanUsage = { inputTokens?: number; outputTokens?: number; cachedInputTokens?: number };

const MAX_TOKENS = 2 ** 31 - 1;
const MAX_COST_USD = 1e9;

/**
 * Token counts of a model call: OpenTelemetry GenAI names first, then their older names, then the
 * Vercel AI SDK's (v5 `inputTokens`, v4 `promptTokens`, embeddings `tokens`). Input includes cached
 * input, as both conventions define it. Undefined when the span reports none.
 */
export function usageOf(attributes: AttributeReader): SpanUsage | undefined {
  const inputTokens = tokenCount(
    attributes.readNumber(
      'gen_ai.usage.input_tokens',
      'gen_ai.usage.prompt_tokens',
      'ai.usage.inputTokens',
      'ai.usage.promptTokens',
      'ai.usage.tokens',
    ),
  );
  const outputTokens = tokenCount(
    attributes.readNumber(
      'gen_ai.usage.output_tokens',
      'gen_ai.usage.completion_tokens',
      'ai.usage.outputTokens',
      'ai.usage.completionTokens',
    ),
  );
  const cachedInputTokens = tokenCount(
    attributes.readNumber(
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.cache_read_input_tokens',
      'ai.usage.cachedInputTokens',
    ),
  );
  if (inputTokens === undefined && outputTokens === undefined && cachedInputTokens === undefined) return undefined;
  return {
    ...(inputTokens !== undefined ? { inputTokens } : {}),
    ...(outputTokens !== undefined ? { outputTokens } : {}),
    ...(cachedInputTokens !== undefined ? { cachedInputTokens } : {}),
  };
}

/** A cost the instrumentation computed itself; otherwise the server prices the call. */
export function costUsdOf(attributes: AttributeReader): number | undefined {
  const cost = attributes.readNumber('gen_ai.usage.cost');
  return cost !== undefined && cost >= 0 && cost <= MAX_COST_USD ? cost : undefined;
}

function tokenCount(value: number | undefined): number | undefined {
  if (value === undefined || value < 0) return undefined;
  return Math.min(Math.round(value), MAX_TOKENS);
}
