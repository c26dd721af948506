type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What a turn of a conversation added to its request. Each call of a chat resends the whole
 * history, so a session shown call by call would repeat it: this keeps the messages after the last
 * assistant message (the new question, tool results), and says how many earlier ones it left out.
 * Anything that is not a chat request is the turn's input as it is.
 */
export function turnInputOf(input: unknown): { input: unknown; earlierMessages: number } {
  if (!isObject(input) || !Array.isArray(input.messages)) return { input, earlierMessages: 0 };
  const messages: unknown[] = input.messages;
  const lastAssistant = messages.findLastIndex((message) => isObject(message) && message.role === 'assistant');
  if (lastAssistant < 0) return { input, earlierMessages: 0 };
  return { input: { messages: messages.slice(lastAssistant + 1) }, earlierMessages: lastAssistant + 1 };
}
