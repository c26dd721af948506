import type { ChatCompletionRequest } from '@switchyard/shared';
import { z } from 'zod';
import { textAndToolCalls } from '../providers/anthropic-translate.js';

/**
 * `POST /v1/messages` bodies, loosely: what we translate is checked (a bad field is named), and every
 * other field is kept, so Anthropic targets receive `thinking`, `top_k`, `cache_control` and the rest.
 */
export const messagesRequestSchema = z.looseObject({
  model: z.string().trim().min(1, 'is required').max(200),
  max_tokens: z.number().int().positive(),
  messages: z
    .array(
      z.looseObject({
        role: z.enum(['user', 'assistant']),
        content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]),
      }),
    )
    .min(1, 'needs at least one message'),
  system: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))]).optional(),
  stream: z.boolean().optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().optional(),
  tools: z
    .array(
      z.looseObject({ name: z.string(), description: z.string().optional(), input_schema: z.unknown().optional() }),
    )
    .optional(),
  tool_choice: z.looseObject({ type: z.string(), name: z.string().optional() }).optional(),
  metadata: z.looseObject({ user_id: z.string().optional() }).optional(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

/** `POST /v1/messages/count_tokens` bodies: a Messages request without `max_tokens`. */
export const countTokensRequestSchema = messagesRequestSchema.omit({ max_tokens: true });

type Block = Record<string, unknown> & { type: string };

function blockText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((block) => (typeof block?.text === 'string' ? block.text : '')).join('');
  return '';
}

/** Anthropic Messages request → the OpenAI chat request every provider takes. */
export function toChatRequest(request: MessagesRequest): ChatCompletionRequest {
  const messages: ChatCompletionRequest['messages'] = [];
  const system = typeof request.system === 'string' ? request.system : blockText(request.system);
  if (system) messages.push({ role: 'system', content: system });
  for (const message of request.messages) {
    const blocks: Block[] =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : (message.content as Block[]);
    if (message.role === 'assistant') {
      const { text, toolCalls } = textAndToolCalls(blocks);
      messages.push({
        role: 'assistant',
        content: text || null,
        ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
      });
      continue;
    }
    // Tool results become OpenAI tool messages; everything else in the turn is one user message.
    for (const block of blocks.filter((candidate) => candidate.type === 'tool_result')) {
      messages.push({ role: 'tool', tool_call_id: String(block.tool_use_id), content: blockText(block.content) });
    }
    const parts = blocks.flatMap((block): Array<{ type: string; text?: string; image_url?: { url: string } }> => {
      if (block.type === 'text') return [{ type: 'text', text: String(block.text ?? '') }];
      if (block.type === 'image') {
        const source = block.source as { type?: string; media_type?: string; data?: string; url?: string } | undefined;
        const url =
          source?.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : String(source?.url ?? '');
        return [{ type: 'image_url', image_url: { url } }];
      }
      return [];
    });
    const [only] = parts;
    if (parts.length === 1 && only?.type === 'text') messages.push({ role: 'user', content: String(only.text) });
    else if (parts.length) messages.push({ role: 'user', content: parts });
  }
  const choice = request.tool_choice;
  return {
    model: request.model,
    messages,
    max_tokens: request.max_tokens,
    ...(request.stream ? { stream: true } : {}),
    ...(request.stop_sequences?.length ? { stop: request.stop_sequences } : {}),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.top_p === undefined ? {} : { top_p: request.top_p }),
    ...(request.tools?.length
      ? {
          tools: request.tools.map((tool) => ({
            type: 'function',
            function: {
              name: tool.name,
              description: tool.description,
              parameters: tool.input_schema ?? { type: 'object', properties: {} },
            },
          })),
        }
      : {}),
    ...(choice
      ? {
          tool_choice:
            choice.type === 'any'
              ? 'required'
              : choice.type === 'tool'
                ? { type: 'function', function: { name: choice.name } }
                : choice.type,
        }
      : {}),
    ...(request.metadata?.user_id ? { user: request.metadata.user_id } : {}),
  };
}
