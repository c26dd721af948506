import type { ChatCompletionRequest, ChatMessage, Usage } from '@switchyard/shared';
import { HttpError } from '../../http/http-error.js';
import { contentText, type JsonObject, parseDataUrl, toOpenAiUsage } from './provider.js';
import { parseToolArguments } from './tool-arguments.js';

/** Anthropic requires max_tokens; OpenAI does not. Used when the client sets none. */
export const DEFAULT_MAX_TOKENS = 4096;

type AnthropicBlock = Record<string, unknown> & { type: string };
type AnthropicMessage = { role: 'user' | 'assistant'; content: AnthropicBlock[] };

function imageBlock(url: string): AnthropicBlock {
  const data = parseDataUrl(url);
  return data
    ? { type: 'image', source: { type: 'base64', media_type: data.mediaType, data: data.data } }
    : { type: 'image', source: { type: 'url', url } };
}

function userBlocks(content: ChatMessage['content']): AnthropicBlock[] {
  if (!content) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.flatMap((part): AnthropicBlock[] => {
    if (part.type === 'text') return [{ type: 'text', text: String(part.text ?? '') }];
    if (part.type === 'image_url') {
      const image = part.image_url as { url?: string } | string | undefined;
      return [imageBlock(typeof image === 'string' ? image : String(image?.url ?? ''))];
    }
    throw new HttpError(400, {
      code: 'unsupported_content',
      param: 'messages',
      message: `messages: content part "${part.type}" is not supported by anthropic`,
    });
  });
}

/** OpenAI chat request → Anthropic Messages request. */
export function toAnthropicRequest(request: ChatCompletionRequest): JsonObject {
  if ((request.n ?? 1) > 1)
    throw new HttpError(400, {
      code: 'unsupported_parameter',
      param: 'n',
      message: 'n: anthropic returns one choice; n must be 1',
    });
  const system = request.messages
    .filter((message) => message.role === 'system' || message.role === 'developer')
    .map((message) => contentText(message.content))
    .filter(Boolean)
    .join('\n\n');
  const messages: AnthropicMessage[] = [];
  const push = (role: AnthropicMessage['role'], blocks: AnthropicBlock[]) => {
    const last = messages.at(-1);
    // Anthropic wants user and assistant turns to alternate: consecutive ones merge.
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  for (const message of request.messages) {
    if (message.role === 'system' || message.role === 'developer') continue;
    if (message.role === 'user') push('user', userBlocks(message.content));
    else if (message.role === 'tool' || message.role === 'function') {
      push('user', [
        {
          type: 'tool_result',
          tool_use_id: String(message.tool_call_id ?? message.name ?? ''),
          content: contentText(message.content),
        },
      ]);
    } else {
      const blocks: AnthropicBlock[] = [];
      const text = contentText(message.content);
      if (text) blocks.push({ type: 'text', text });
      for (const call of (message.tool_calls ?? []) as Array<{
        id: string;
        function?: { name?: string; arguments?: string };
      }>) {
        blocks.push({
          type: 'tool_use',
          id: call.id,
          name: call.function?.name ?? '',
          input: parseToolArguments(call.function?.arguments, (text) => ({ _raw: text })),
        });
      }
      push('assistant', blocks);
    }
  }
  const tools = (
    request.tools as
      | Array<{ type: string; function?: { name: string; description?: string; parameters?: unknown } }>
      | undefined
  )
    ?.filter((tool) => tool.type === 'function' && tool.function)
    .map((tool) => ({
      name: tool.function?.name,
      description: tool.function?.description,
      input_schema: tool.function?.parameters ?? { type: 'object', properties: {} },
    }));
  const choice = request.tool_choice as string | { type?: string; function?: { name?: string } } | undefined;
  const toolChoice =
    choice === undefined
      ? undefined
      : choice === 'auto'
        ? { type: 'auto' }
        : choice === 'required'
          ? { type: 'any' }
          : choice === 'none'
            ? { type: 'none' }
            : typeof choice === 'object' && choice.function?.name
              ? { type: 'tool', name: choice.function.name }
              : undefined;
  const stop =
    request.stop === null || request.stop === undefined
      ? undefined
      : Array.isArray(request.stop)
        ? request.stop
        : [request.stop];
  return {
    model: request.model,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_MAX_TOKENS,
    messages,
    ...(system ? { system } : {}),
    ...(stop ? { stop_sequences: stop } : {}),
    // OpenAI's temperature runs to 2, Anthropic's to 1.
    ...(request.temperature === null || request.temperature === undefined
      ? {}
      : { temperature: Math.min(request.temperature, 1) }),
    ...(request.top_p === null || request.top_p === undefined ? {} : { top_p: request.top_p }),
    ...(tools?.length ? { tools } : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
    ...(request.user ? { metadata: { user_id: request.user } } : {}),
    ...(request.stream ? { stream: true } : {}),
  };
}

export const FINISH_REASONS: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export type AnthropicUsage = {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
};

/** Anthropic counts cached and cache-writing prompt tokens apart from `input_tokens`; OpenAI's prompt count includes them. */
export function usageFromAnthropic(usage: AnthropicUsage | undefined): Usage {
  const cached = usage?.cache_read_input_tokens ?? 0;
  return {
    inputTokens: (usage?.input_tokens ?? 0) + cached + (usage?.cache_creation_input_tokens ?? 0),
    outputTokens: usage?.output_tokens ?? 0,
    cachedInputTokens: cached,
  };
}

/** An assistant turn's Anthropic content blocks as OpenAI's text and tool calls. */
export function textAndToolCalls(blocks: ReadonlyArray<Record<string, unknown> & { type: string }>) {
  const text = blocks
    .filter((block) => block.type === 'text')
    .map((block) => String(block.text ?? ''))
    .join('');
  const toolCalls = blocks
    .filter((block) => block.type === 'tool_use')
    .map((block) => ({
      id: String(block.id),
      type: 'function',
      function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) },
    }));
  return { text, toolCalls };
}

/** Anthropic message → OpenAI chat.completion. */
export function fromAnthropicMessage(message: JsonObject): { body: JsonObject; usage: Usage } {
  const { text, toolCalls } = textAndToolCalls((message.content as AnthropicBlock[] | undefined) ?? []);
  const usage = usageFromAnthropic(message.usage as AnthropicUsage);
  return {
    usage,
    body: {
      id: message.id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: message.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: text || (toolCalls.length ? null : ''),
            ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: FINISH_REASONS[String(message.stop_reason)] ?? 'stop',
          logprobs: null,
        },
      ],
      usage: toOpenAiUsage(usage),
    },
  };
}
