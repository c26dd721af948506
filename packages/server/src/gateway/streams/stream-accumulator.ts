import type { JsonObject } from '../providers/provider.js';

type ToolCall = { id?: string; type?: string; function: { name: string; arguments: string } };
type Choice = {
  index: number;
  message: { role: string; content: string; tool_calls?: ToolCall[] };
  finish_reason: string | null;
};

type ChunkChoice = {
  index?: number;
  delta?: {
    role?: string;
    content?: string | null;
    tool_calls?: Array<{
      index?: number;
      id?: string;
      type?: string;
      function?: { name?: string; arguments?: string };
    }>;
  };
  finish_reason?: string | null;
};

/** Folds streamed chunks back into the choices a non-streamed answer would have had, for the record. */
export class StreamAccumulator {
  readonly #choices = new Map<number, Choice>();

  add(chunk: JsonObject): void {
    for (const part of (chunk.choices as ChunkChoice[] | undefined) ?? []) {
      const index = part.index ?? 0;
      let choice = this.#choices.get(index);
      if (!choice) {
        choice = { index, message: { role: 'assistant', content: '' }, finish_reason: null };
        this.#choices.set(index, choice);
      }
      if (part.delta?.role) choice.message.role = part.delta.role;
      if (part.delta?.content) choice.message.content += part.delta.content;
      for (const fragment of part.delta?.tool_calls ?? []) {
        const calls = choice.message.tool_calls ?? [];
        choice.message.tool_calls = calls;
        const slot = fragment.index ?? calls.length;
        const call = calls[slot] ?? { function: { name: '', arguments: '' } };
        calls[slot] = call;
        if (fragment.id) call.id = fragment.id;
        if (fragment.type) call.type = fragment.type;
        if (fragment.function?.name) call.function.name += fragment.function.name;
        if (fragment.function?.arguments) call.function.arguments += fragment.function.arguments;
      }
      if (part.finish_reason) choice.finish_reason = part.finish_reason;
    }
  }

  choices(): Choice[] {
    return [...this.#choices.values()].sort((a, b) => a.index - b.index);
  }
}
