import { AnthropicMessageStreamAccumulator } from './anthropic-stream-accumulator.js';
import { usageFromAnthropic } from './anthropic-usage.js';
import type { CallRecording } from './instrumented-call.js';
import { asRecord, requestMetadata, snapshot, stringField } from './provider-fields.js';

const MESSAGE_PARAMETERS = [
  'max_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'tool_choice',
  'thinking',
  'stream',
] as const;

/** `messages.create`: the system prompt and messages in, the assistant message (role and content blocks) out. */
export const anthropicMessageRecording: CallRecording = {
  start: (request) => ({
    name: 'anthropic.messages.create',
    provider: 'anthropic',
    model: stringField(request.model),
    // The system prompt leads the input, as a system message would in OpenAI's shape.
    input:
      request.system === undefined
        ? snapshot(request.messages)
        : [{ role: 'system', content: request.system }, ...(Array.isArray(request.messages) ? request.messages : [])],
    metadata: requestMetadata(request, MESSAGE_PARAMETERS),
  }),
  finish: (response) => {
    const message = asRecord(response);
    return {
      model: stringField(message.model),
      output: { role: message.role, content: message.content },
      usage: usageFromAnthropic(message.usage),
      metadata: { stopReason: message.stop_reason },
    };
  },
  accumulateStream: () => new AnthropicMessageStreamAccumulator(),
};
