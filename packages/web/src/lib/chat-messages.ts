/** A message as the dashboard shows it, whichever API or convention recorded it. */
export type ChatMessage = { role: string; text: string; toolCalls: Array<{ name: string; arguments: string }> };

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const stringify = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/** One content part: OpenAI/Anthropic `{type:'text', text}`, OTel GenAI `{type:'text', content}`, tools. */
function readPart(part: unknown, message: ChatMessage): void {
  if (typeof part === 'string') {
    message.text += part;
    return;
  }
  if (!isObject(part)) return;
  if (typeof part.text === 'string') message.text += part.text;
  else if (part.type === 'text' && typeof part.content === 'string') message.text += part.content;
  else if (part.type === 'tool_use' || part.type === 'tool_call')
    message.toolCalls.push({
      name: String(part.name ?? 'tool'),
      arguments: stringify(part.input ?? part.arguments ?? {}),
    });
  else if (part.type === 'tool_result' || part.type === 'tool_call_response')
    message.text += stringify(part.content ?? part.response ?? part.result ?? '');
  else if (part.type === 'image_url' || part.type === 'image') message.text += '[image]';
}

function readMessage(value: unknown, fallbackRole: string): ChatMessage | null {
  if (typeof value === 'string') return { role: fallbackRole, text: value, toolCalls: [] };
  if (!isObject(value)) return null;
  // An OpenAI choice carries its message one level down.
  if (isObject(value.message)) return readMessage(value.message, fallbackRole);
  if (!('content' in value) && !('parts' in value) && !('tool_calls' in value)) return null;
  const message: ChatMessage = {
    role: typeof value.role === 'string' ? value.role : fallbackRole,
    text: '',
    toolCalls: [],
  };
  const content = value.content ?? value.parts;
  if (Array.isArray(content)) for (const part of content) readPart(part, message);
  else if (content !== null && content !== undefined) readPart(content, message);
  if (Array.isArray(value.tool_calls)) {
    for (const call of value.tool_calls) {
      if (!isObject(call) || !isObject(call.function)) continue;
      message.toolCalls.push({
        name: String(call.function.name ?? 'tool'),
        arguments: stringify(call.function.arguments ?? ''),
      });
    }
  }
  return message;
}

/**
 * Reads recorded input or output as chat messages: a messages array, a request body with
 * `messages` (and Anthropic's `system`), OpenAI choices, Anthropic content blocks, OTel GenAI
 * messages, or plain text. Null when it is something else (shown as JSON instead).
 */
export function toChatMessages(value: unknown, fallbackRole: 'user' | 'assistant'): ChatMessage[] | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return [{ role: fallbackRole, text: value, toolCalls: [] }];
  if (isObject(value) && Array.isArray(value.messages)) {
    const messages = toChatMessages(value.messages, fallbackRole) ?? [];
    const system = value.system;
    if (system !== undefined) {
      const systemMessage = readMessage({ role: 'system', content: system }, 'system');
      if (systemMessage) messages.unshift(systemMessage);
    }
    return messages;
  }
  if (Array.isArray(value)) {
    // Anthropic's output: content blocks, which together are one assistant message.
    if (value.every((item) => isObject(item) && typeof item.type === 'string' && !('role' in item))) {
      const message: ChatMessage = { role: 'assistant', text: '', toolCalls: [] };
      for (const block of value) readPart(block, message);
      return [message];
    }
    const messages = value.map((item) => readMessage(item, fallbackRole));
    return messages.every((message) => message !== null) ? (messages as ChatMessage[]) : null;
  }
  const single = readMessage(value, fallbackRole);
  return single ? [single] : null;
}
