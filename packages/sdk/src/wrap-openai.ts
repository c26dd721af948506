import { instrumentMethod } from './instrument-method.js';
import { instrumentCall } from './instrumented-call.js';
import { openAIChatRecording, openAIEmbeddingRecording } from './openai-recording.js';
import { asRecord } from './provider-fields.js';
import { recorderFor, type WrapOptions } from './wrap-options.js';

/**
 * Records every `chat.completions.create` and `embeddings.create` call of an `openai` client (built
 * for v6, on hooks that SDK has had since v4), streamed or not, as a `generation`: model, input
 * messages, output, token usage (with cached tokens), start and end, time of the first streamed
 * token, and errors. Helpers built on them
 * (`chat.completions.stream()`, `.parse()`, `runTools()`) are recorded too.
 *
 * The client is instrumented in place and returned: same object, same types. What each call returns
 * is untouched: the same values, the same `APIPromise` (`withResponse()`, `asResponse()` work), a
 * stream yields the same chunks, errors are the SDK's own. Nothing is added to the request (no
 * `stream_options`: streamed usage is recorded when you ask for it). Calls made before `init()` run
 * unrecorded.
 *
 * @example
 * import OpenAI from 'openai';
 * import { init, wrapOpenAI } from '@switchyard/sdk';
 *
 * init();
 * const openai = wrapOpenAI(new OpenAI());
 * const completion = await openai.chat.completions.create({
 *   model: 'gpt-4o-mini',
 *   messages: [{ role: 'user', content: 'Say hi' }],
 * });
 */
export function wrapOpenAI<TClient extends object>(client: TClient, options?: WrapOptions): TClient {
  const resolveRecorder = recorderFor(options);
  const openai = asRecord(client);
  instrumentMethod(asRecord(openai.chat).completions, 'create', (original) =>
    instrumentCall(original, openAIChatRecording, resolveRecorder),
  );
  instrumentMethod(openai.embeddings, 'create', (original) =>
    instrumentCall(original, openAIEmbeddingRecording, resolveRecorder),
  );
  return client;
}
