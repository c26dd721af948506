import { mergeAnthropicUsage, usageFromAnthropic } from './anthropic-usage.js';
import type { GenerationResult } from './generation.js';
import type { StreamAccumulator } from './instrumented-call.js';
import { asRecord, type JsonRecord, stringField } from './provider-fields.js';

/**
 * Rebuilds a streamed Anthropic message from its events: model and usage from `message_start`, the
 * final output count from `message_delta`, content blocks from their deltas. The first
 * `content_block_delta` is the first token, as the gateway counts it.
 */
export class AnthropicMessageStreamAccumulator implements StreamAccumulator {
  #model: string | undefined;
  #role = 'assistant';
  #usage: JsonRecord = {};
  #stopReason: unknown;
  readonly #blocks = new Map<number, JsonRecord>();
  readonly #partialJson = new Map<number, string>();

  add(item: unknown): boolean {
    const event = asRecord(item);
    const index = typeof event.index === 'number' ? event.index : 0;
    switch (event.type) {
      case 'message_start': {
        const message = asRecord(event.message);
        this.#model = stringField(message.model) ?? this.#model;
        this.#role = stringField(message.role) ?? this.#role;
        this.#usage = mergeAnthropicUsage(this.#usage, message.usage);
        return false;
      }
      case 'content_block_start':
        this.#blocks.set(index, { ...asRecord(event.content_block) });
        return false;
      case 'content_block_delta':
        this.#applyDelta(index, asRecord(event.delta));
        return true;
      case 'message_delta':
        this.#stopReason = asRecord(event.delta).stop_reason ?? this.#stopReason;
        this.#usage = mergeAnthropicUsage(this.#usage, event.usage);
        return false;
      default:
        return false;
    }
  }

  result(): GenerationResult {
    const content = [...this.#blocks.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, block]) => {
        const json = this.#partialJson.get(index);
        return json === undefined ? block : { ...block, input: parsePartialJson(json) };
      });
    return {
      model: this.#model,
      output: { role: this.#role, content },
      usage: usageFromAnthropic(this.#usage),
      ...(this.#stopReason === undefined ? {} : { metadata: { stopReason: this.#stopReason } }),
    };
  }

  #applyDelta(index: number, delta: JsonRecord): void {
    const block = this.#blocks.get(index) ?? {};
    this.#blocks.set(index, block);
    const append = (field: string, text: unknown) => {
      if (typeof text === 'string') block[field] = (typeof block[field] === 'string' ? block[field] : '') + text;
    };
    if (delta.type === 'text_delta') append('text', delta.text);
    else if (delta.type === 'thinking_delta') append('thinking', delta.thinking);
    else if (delta.type === 'signature_delta') append('signature', delta.signature);
    else if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
      this.#partialJson.set(index, (this.#partialJson.get(index) ?? '') + delta.partial_json);
    } else if (delta.type === 'citations_delta') {
      block.citations = [...(Array.isArray(block.citations) ? block.citations : []), delta.citation];
    }
  }
}

/** A tool call's input as the SDK's own MessageStream reads it: empty is `{}`, unparsable stays text. */
function parsePartialJson(json: string): unknown {
  if (json.trim() === '') return {};
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}
