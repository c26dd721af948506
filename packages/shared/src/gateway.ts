import { z } from 'zod';

/**
 * `provider/model` (`openai/gpt-4o-mini`, `mock/echo`) or an org's route alias. Parameters we do not
 * name are passed to the provider untouched, so new OpenAI parameters work without a release.
 */
const modelSchema = z.string().trim().min(1, 'is required (e.g. "mock/echo" or "openai/gpt-4o-mini")').max(200);

const contentPartSchema = z.looseObject({ type: z.string() });
export const chatMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
  tool_calls: z.array(z.looseObject({ id: z.string(), type: z.string() })).optional(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const chatCompletionRequestSchema = z.looseObject({
  model: modelSchema,
  messages: z.array(chatMessageSchema).min(1, 'needs at least one message'),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  n: z.number().int().min(1).max(128).optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4), z.null()]).optional(),
  tools: z.array(z.looseObject({ type: z.string() })).optional(),
  response_format: z.looseObject({ type: z.string() }).optional(),
  user: z.string().optional(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

export const embeddingsRequestSchema = z.looseObject({
  model: modelSchema,
  input: z.union([
    z.string(),
    z.array(z.string()).min(1),
    z.array(z.number().int()).min(1),
    z.array(z.array(z.number().int())).min(1),
  ]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().optional(),
});
export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;

/** Token counts as providers report them, in our names. */
export type Usage = { inputTokens: number; outputTokens: number; cachedInputTokens: number };

/** Token counts in OpenAI's names, as a chat completion (or a stream's last event) reports them. */
const chatUsageSchema = z.looseObject({ prompt_tokens: z.number(), completion_tokens: z.number() });

/**
 * The answer of `POST /v1/chat/completions`, as far as Switchyard's clients read it: providers'
 * answers pass through, so everything else is kept as it came.
 */
export const chatCompletionSchema = z.looseObject({
  choices: z
    .array(z.looseObject({ message: z.looseObject({ content: z.string().nullable().optional() }).optional() }))
    .optional(),
  usage: chatUsageSchema.nullable().optional(),
});
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;

/** One `data:` event of a streamed chat completion; a provider's failure mid-stream comes as `error`. */
export const chatCompletionChunkSchema = z.looseObject({
  choices: z
    .array(z.looseObject({ delta: z.looseObject({ content: z.string().nullable().optional() }).optional() }))
    .optional(),
  usage: chatUsageSchema.nullable().optional(),
  error: z.looseObject({ message: z.string().optional() }).optional(),
});
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;
