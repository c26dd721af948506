import { z } from 'zod';
import { safeParseJson } from '../../parse-json.js';
import type { JsonObject, MessagesStreamEvent } from '../providers/provider.js';
import type { RecordedMessage } from './recorded-message.js';

// A field of an unexpected type reads as absent: the record takes what it can, the client gets it all.
const text = z.string().optional().catch(undefined);

const eventSchema = z.object({
  index: z.number().int().min(0).optional().catch(undefined),
  content_block: z.looseObject({ type: z.string() }).optional().catch(undefined),
  delta: z
    .object({
      type: text,
      text,
      partial_json: text,
      thinking: text,
      signature: text,
      citation: z.unknown().optional(),
      stop_reason: text,
      stop_sequence: z.string().nullish().catch(undefined),
    })
    .optional()
    .catch(undefined),
});

/** Events that change the message; the others (`ping`, `message_start`, `message_stop`) are not read. */
const READ_EVENTS = new Set(['content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta']);

/**
 * Folds Anthropic's stream events back into the message they spell out, for the call's record: text
 * and thinking deltas joined, tool inputs parsed from their JSON fragments, and the stop reason.
 */
export class MessageAccumulator {
  readonly #blocks: JsonObject[] = [];
  /** Each tool block's input as its fragments arrived, parsed once the block stops. */
  readonly #partialJson = new Map<number, string>();
  #stopReason: string | null = null;
  #stopSequence: string | null = null;

  add(event: MessagesStreamEvent): void {
    if (!READ_EVENTS.has(event.type)) return;
    const parsed = safeParseJson({ text: event.data, schema: eventSchema });
    if (!parsed.success) return;
    const { index, content_block: contentBlock, delta } = parsed.value;
    if (event.type === 'message_delta') {
      this.#stopReason = delta?.stop_reason ?? this.#stopReason;
      this.#stopSequence = delta?.stop_sequence ?? this.#stopSequence;
      return;
    }
    if (index === undefined) return;
    if (event.type === 'content_block_start' && contentBlock) this.#blocks[index] = { ...contentBlock };
    const block = this.#blocks[index];
    if (!block) return;
    if (event.type === 'content_block_delta' && delta) this.#applyDelta({ index, block, delta });
    if (event.type === 'content_block_stop') this.#finishInput(index, block);
  }

  message(): RecordedMessage {
    // A stream that broke off mid-block still shows the tool input that arrived.
    for (const index of this.#partialJson.keys()) {
      const block = this.#blocks[index];
      if (block) this.#finishInput(index, block);
    }
    return {
      role: 'assistant',
      content: this.#blocks.filter((block) => block !== undefined),
      stop_reason: this.#stopReason,
      stop_sequence: this.#stopSequence,
    };
  }

  #applyDelta(options: {
    index: number;
    block: JsonObject;
    delta: NonNullable<z.output<typeof eventSchema>['delta']>;
  }) {
    const { index, block, delta } = options;
    switch (delta.type) {
      case 'text_delta':
        block.text = `${typeof block.text === 'string' ? block.text : ''}${delta.text ?? ''}`;
        break;
      case 'thinking_delta':
        block.thinking = `${typeof block.thinking === 'string' ? block.thinking : ''}${delta.thinking ?? ''}`;
        break;
      case 'signature_delta':
        block.signature = delta.signature ?? block.signature;
        break;
      case 'input_json_delta':
        this.#partialJson.set(index, (this.#partialJson.get(index) ?? '') + (delta.partial_json ?? ''));
        break;
      case 'citations_delta':
        block.citations = [...(Array.isArray(block.citations) ? block.citations : []), delta.citation];
        break;
    }
  }

  #finishInput(index: number, block: JsonObject): void {
    const json = this.#partialJson.get(index);
    if (json === undefined) return;
    this.#partialJson.delete(index);
    const parsed = safeParseJson({ text: json });
    // Fragments that never became JSON (a stream cut mid-input) are kept as the text that came.
    block.input = parsed.success ? parsed.value : json;
  }
}
