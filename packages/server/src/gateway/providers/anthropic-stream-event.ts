import { z } from 'zod';

// A field of an unexpected type reads as absent, as it would have through optional chaining.
const text = z.string().optional().catch(undefined);
const count = z.number().optional().catch(undefined);
const nullableCount = z.number().nullish().catch(undefined);
const part = <TShape extends z.ZodRawShape>(shape: TShape) => z.object(shape).optional().catch(undefined);

const usage = part({
  input_tokens: count,
  output_tokens: count,
  cache_read_input_tokens: nullableCount,
  cache_creation_input_tokens: nullableCount,
});

/** What the translation to OpenAI chunks reads of one Anthropic stream event. */
export const anthropicStreamEventSchema = z.object({
  type: text,
  index: count,
  message: part({ id: text, model: text, usage }),
  content_block: part({ type: text, id: text, name: text }),
  delta: part({ type: text, text, partial_json: text, stop_reason: text }),
  usage,
  error: part({ type: text, message: text }),
});
