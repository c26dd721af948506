import type { Usage } from '@switchyard/shared';
import type { JsonObject } from '../providers/provider.js';
import { parseToolArguments } from '../providers/tool-arguments.js';
import { formatSse } from '../streams/sse.js';

const STOP_REASONS: Record<string, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

/** Our usage in Anthropic's terms: cached prompt tokens are counted apart from `input_tokens`. */
export function anthropicUsage(usage: Usage) {
  return {
    input_tokens: usage.inputTokens - usage.cachedInputTokens,
    output_tokens: usage.outputTokens,
    cache_read_input_tokens: usage.cachedInputTokens,
    cache_creation_input_tokens: 0,
  };
}

type Choice = {
  message?: {
    content?: string | null;
    tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
  };
  finish_reason?: string | null;
};

/** OpenAI chat.completion → Anthropic message. */
export function toAnthropicMessage(completion: JsonObject, usage: Usage, model: string): JsonObject {
  const choice = (completion.choices as Choice[] | undefined)?.[0];
  const content: JsonObject[] = [];
  if (choice?.message?.content) content.push({ type: 'text', text: choice.message.content });
  for (const call of choice?.message?.tool_calls ?? [])
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseToolArguments(call.function.arguments),
    });
  return {
    id: `msg_${String(completion.id ?? '').replace(/^chatcmpl-/, '')}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: STOP_REASONS[String(choice?.finish_reason)] ?? 'end_turn',
    stop_sequence: null,
    usage: anthropicUsage(usage),
  };
}

type Delta = {
  content?: string | null;
  tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }>;
};
type ChunkChoice = { delta?: Delta; finish_reason?: string | null };

type OpenBlock = { kind: 'text' } | { kind: 'tool'; toolIndex: number };

/**
 * Turns OpenAI chunks into Anthropic's stream events, one content block at a time: text, then each
 * tool call, as the Anthropic SDK expects.
 */
export class AnthropicEventWriter {
  #blockIndex = -1;
  #openBlock: OpenBlock | undefined;
  #stopReason = 'end_turn';
  #started = false;

  constructor(
    readonly messageId: string,
    readonly model: string,
  ) {}

  start(): string {
    this.#started = true;
    const message = {
      id: this.messageId,
      type: 'message',
      role: 'assistant',
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return formatSse(JSON.stringify({ type: 'message_start', message }), 'message_start');
  }

  chunk(chunk: JsonObject): string {
    let out = this.#started ? '' : this.start();
    for (const choice of (chunk.choices as ChunkChoice[] | undefined) ?? []) {
      if (choice.delta?.content) {
        if (this.#openBlock?.kind !== 'text') out += this.#open({ kind: 'text' }, { type: 'text', text: '' });
        out += this.#event('content_block_delta', {
          index: this.#blockIndex,
          delta: { type: 'text_delta', text: choice.delta.content },
        });
      }
      for (const call of choice.delta?.tool_calls ?? []) {
        if (this.#openBlock?.kind !== 'tool' || this.#openBlock.toolIndex !== call.index) {
          out += this.#open(
            { kind: 'tool', toolIndex: call.index },
            { type: 'tool_use', id: call.id ?? `toolu_${call.index}`, name: call.function?.name ?? '', input: {} },
          );
        }
        if (call.function?.arguments)
          out += this.#event('content_block_delta', {
            index: this.#blockIndex,
            delta: { type: 'input_json_delta', partial_json: call.function.arguments },
          });
      }
      if (choice.finish_reason) this.#stopReason = STOP_REASONS[choice.finish_reason] ?? 'end_turn';
    }
    return out;
  }

  finish(usage: Usage): string {
    let out = this.#started ? '' : this.start();
    out += this.#close();
    out += this.#event('message_delta', {
      delta: { stop_reason: this.#stopReason, stop_sequence: null },
      usage: anthropicUsage(usage),
    });
    return out + this.#event('message_stop', {});
  }

  #open(block: OpenBlock, contentBlock: JsonObject): string {
    const closed = this.#close();
    this.#blockIndex += 1;
    this.#openBlock = block;
    return closed + this.#event('content_block_start', { index: this.#blockIndex, content_block: contentBlock });
  }

  #close(): string {
    if (!this.#openBlock) return '';
    this.#openBlock = undefined;
    return this.#event('content_block_stop', { index: this.#blockIndex });
  }

  #event(type: string, data: JsonObject): string {
    return formatSse(JSON.stringify({ type, ...data }), type);
  }
}
