import type { JsonObject } from '../providers/provider.js';

/**
 * A Messages call's answer as its record keeps it: the content blocks (text, tool_use, thinking, …)
 * and why it stopped. The same for streamed and non-streamed calls, native or translated; a stream
 * that broke off keeps the blocks that arrived, with no stop reason.
 */
export type RecordedMessage = {
  role: 'assistant';
  content: JsonObject[];
  stop_reason: string | null;
  stop_sequence: string | null;
};

const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The recorded part of an Anthropic message (the upstream's, or one translated from OpenAI's shape). */
export function recordedMessageOf(message: JsonObject): RecordedMessage {
  return {
    role: 'assistant',
    content: Array.isArray(message.content) ? (message.content as JsonObject[]) : [],
    stop_reason: textOrNull(message.stop_reason),
    stop_sequence: textOrNull(message.stop_sequence),
  };
}
