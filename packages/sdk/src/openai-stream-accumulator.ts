import type { GenerationResult } from './generation.js';
import type { StreamAccumulator } from './instrumented-call.js';
import { usageFromOpenAI } from './openai-usage.js';
import { asRecord, type JsonRecord, stringField } from './provider-fields.js';

type ToolCall = { id: string; type: string; function: { name: string; arguments: string } };

type Choice = {
  role: string;
  content: string | null;
  refusal: string | null;
  toolCalls: Map<number, ToolCall>;
  finishReason: unknown;
};

/**
 * Rebuilds the assistant message(s) of a streamed chat completion from its chunks, as the
 * non-streamed answer would have had them. Usage comes only when the caller asked for it with
 * `stream_options: { include_usage: true }`; the SDK never adds that to a request.
 */
export class OpenAIChatStreamAccumulator implements StreamAccumulator {
  #model: string | undefined;
  #usage: unknown;
  readonly #choices = new Map<number, Choice>();

  add(item: unknown): boolean {
    const chunk = asRecord(item);
    this.#model = stringField(chunk.model) ?? this.#model;
    if (chunk.usage) this.#usage = chunk.usage;
    let hasOutput = false;
    for (const entry of Array.isArray(chunk.choices) ? chunk.choices.map(asRecord) : []) {
      const choice = this.#choice(typeof entry.index === 'number' ? entry.index : 0);
      const delta = asRecord(entry.delta);
      if (typeof delta.role === 'string') choice.role = delta.role;
      if (typeof delta.content === 'string' && delta.content !== '') {
        choice.content = (choice.content ?? '') + delta.content;
        hasOutput = true;
      }
      if (typeof delta.refusal === 'string' && delta.refusal !== '') {
        choice.refusal = (choice.refusal ?? '') + delta.refusal;
        hasOutput = true;
      }
      if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) {
        for (const part of delta.tool_calls.map(asRecord)) addToolCallPart(choice, part);
        hasOutput = true;
      }
      if (entry.finish_reason) choice.finishReason = entry.finish_reason;
    }
    return hasOutput;
  }

  result(): GenerationResult {
    const choices = [...this.#choices.entries()].sort(([a], [b]) => a - b).map(([, choice]) => choice);
    const messages = choices.map((choice) => ({
      role: choice.role,
      content: choice.content,
      ...(choice.refusal === null ? {} : { refusal: choice.refusal }),
      ...(choice.toolCalls.size > 0
        ? { tool_calls: [...choice.toolCalls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call) }
        : {}),
    }));
    const finishReasons = choices.map((choice) => choice.finishReason);
    return {
      model: this.#model,
      output: messages.length === 1 ? messages[0] : messages,
      usage: usageFromOpenAI(this.#usage),
      metadata: finishReasons.length === 1 ? { finishReason: finishReasons[0] } : { finishReasons },
    };
  }

  #choice(index: number): Choice {
    let choice = this.#choices.get(index);
    if (!choice) {
      choice = { role: 'assistant', content: null, refusal: null, toolCalls: new Map(), finishReason: undefined };
      this.#choices.set(index, choice);
    }
    return choice;
  }
}

function addToolCallPart(choice: Choice, part: JsonRecord): void {
  const index = typeof part.index === 'number' ? part.index : 0;
  const call = choice.toolCalls.get(index) ?? { id: '', type: 'function', function: { name: '', arguments: '' } };
  const fn = asRecord(part.function);
  if (typeof part.id === 'string') call.id = part.id;
  if (typeof part.type === 'string') call.type = part.type;
  if (typeof fn.name === 'string') call.function.name += fn.name;
  if (typeof fn.arguments === 'string') call.function.arguments += fn.arguments;
  choice.toolCalls.set(index, call);
}
