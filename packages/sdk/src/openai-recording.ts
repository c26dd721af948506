import type { CallRecording } from './instrumented-call.js';
import { OpenAIChatStreamAccumulator } from './openai-stream-accumulator.js';
import { usageFromOpenAI } from './openai-usage.js';
import { asRecord, requestMetadata, snapshot, stringField } from './provider-fields.js';

const CHAT_PARAMETERS = [
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'n',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'response_format',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning_effort',
  'stream',
  'stream_options',
] as const;

/** `chat.completions.create`: the messages in, the assistant message(s) out. */
export const openAIChatRecording: CallRecording = {
  start: (request) => ({
    name: 'openai.chat.completions.create',
    provider: 'openai',
    model: stringField(request.model),
    input: snapshot(request.messages),
    metadata: requestMetadata(request, CHAT_PARAMETERS),
  }),
  finish: (response) => {
    const completion = asRecord(response);
    const choices = Array.isArray(completion.choices) ? completion.choices.map(asRecord) : [];
    const messages = choices.map((choice) => choice.message);
    const finishReasons = choices.map((choice) => choice.finish_reason);
    return {
      model: stringField(completion.model),
      output: messages.length === 1 ? messages[0] : messages,
      usage: usageFromOpenAI(completion.usage),
      metadata: finishReasons.length === 1 ? { finishReason: finishReasons[0] } : { finishReasons },
    };
  },
  accumulateStream: () => new OpenAIChatStreamAccumulator(),
};

/** `embeddings.create`: the texts in; out, only how many vectors came back (the vectors are not recorded). */
export const openAIEmbeddingRecording: CallRecording = {
  start: (request) => ({
    name: 'openai.embeddings.create',
    provider: 'openai',
    model: stringField(request.model),
    input: snapshot(request.input),
    metadata: requestMetadata(request, ['dimensions', 'encoding_format']),
  }),
  finish: (response) => {
    const answer = asRecord(response);
    return {
      model: stringField(answer.model),
      output: { embeddings: Array.isArray(answer.data) ? answer.data.length : 0 },
      usage: usageFromOpenAI(answer.usage),
    };
  },
  // Embeddings never stream; a stream here would be a new API, recorded as a plain answer.
  accumulateStream: () => ({ add: () => false, result: () => ({}) }),
};
