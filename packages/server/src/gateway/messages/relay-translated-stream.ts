import { randomUUID } from 'node:crypto';
import type { Usage } from '@switchyard/shared';
import { type JsonObject, NO_USAGE, usageFromOpenAi } from '../providers/provider.js';
import { StreamAccumulator } from '../streams/stream-accumulator.js';
import type { ClientEventStream } from './client-event-stream.js';
import { recordedMessageOf } from './recorded-message.js';
import type { StreamOutcome } from './stream-outcome.js';
import { AnthropicEventWriter, toAnthropicMessage } from './to-anthropic.js';

/** Relays a provider's OpenAI chunks to the client as Anthropic stream events, as they arrive. */
export async function relayTranslatedStream(options: {
  stream: ClientEventStream;
  chunks: AsyncIterable<JsonObject>;
  /** The model the client asked for, named in `message_start`. */
  model: string;
  /** performance.now() when the request began, for time to first token. */
  started: number;
}): Promise<StreamOutcome> {
  const { stream } = options;
  const writer = new AnthropicEventWriter(`msg_${randomUUID().replaceAll('-', '')}`, options.model);
  let usage: Usage = NO_USAGE;
  let ttftMs: number | undefined;
  let failure: string | undefined;
  const accumulated = new StreamAccumulator();
  try {
    await stream.write(writer.start());
    for await (const chunk of options.chunks) {
      if (chunk.usage) usage = usageFromOpenAi(chunk.usage);
      accumulated.add(chunk);
      const events = writer.chunk(chunk);
      if (ttftMs === undefined && events.includes('content_block_delta')) ttftMs = performance.now() - options.started;
      await stream.write(events);
    }
    await stream.write(writer.finish(usage));
  } catch (error) {
    failure = stream.fail(error);
  } finally {
    stream.end();
  }
  // The record reads what the client read: the chunks as the Anthropic message they spelled out.
  const output = recordedMessageOf(toAnthropicMessage({ choices: accumulated.choices() }, usage, options.model));
  return { usage, ttftMs, failure, output: failure ? { ...output, stop_reason: null } : output };
}
