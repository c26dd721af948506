import { randomUUID } from 'node:crypto';
import type { Usage } from '@switchyard/shared';
import { type JsonObject, NO_USAGE, usageFromOpenAi } from '../providers/provider.js';
import type { ClientEventStream } from './client-event-stream.js';
import type { StreamOutcome } from './stream-outcome.js';
import { AnthropicEventWriter } from './to-anthropic.js';

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
  try {
    await stream.write(writer.start());
    for await (const chunk of options.chunks) {
      if (chunk.usage) usage = usageFromOpenAi(chunk.usage);
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
  return { usage, ttftMs, failure };
}
