import { anthropicMessageRecording } from './anthropic-recording.js';
import { instrumentMethod } from './instrument-method.js';
import { instrumentCall } from './instrumented-call.js';
import { asRecord } from './provider-fields.js';
import { recorderFor, type WrapOptions } from './wrap-options.js';

/**
 * Records every `messages.create` call of an `@anthropic-ai/sdk` client, streamed or not, as a
 * `generation`: model, input (system prompt and messages), output content blocks, token usage (from
 * `message_start` and `message_delta` when streamed, with `cache_read_input_tokens` as cached
 * tokens), start and end, time of the first streamed token, and errors. `messages.stream()` is built
 * on it and recorded too.
 *
 * The client is instrumented in place and returned; what each call returns (the `APIPromise`, the
 * stream's events, errors) is untouched. Calls made before `init()` run unrecorded.
 *
 * @example
 * import Anthropic from '@anthropic-ai/sdk';
 * import { init, wrapAnthropic } from '@switchyard/sdk';
 *
 * init();
 * const anthropic = wrapAnthropic(new Anthropic());
 * const message = await anthropic.messages.create({
 *   model: 'claude-sonnet-4-5',
 *   max_tokens: 256,
 *   messages: [{ role: 'user', content: 'Say hi' }],
 * });
 */
export function wrapAnthropic<TClient extends object>(client: TClient, options?: WrapOptions): TClient {
  instrumentMethod(asRecord(client).messages, 'create', (original) =>
    instrumentCall(original, anthropicMessageRecording, recorderFor(options)),
  );
  return client;
}
