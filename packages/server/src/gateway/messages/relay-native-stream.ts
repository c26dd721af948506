import { type MessagesStreamEvent, NO_USAGE } from '../providers/provider.js';
import { formatSse } from '../streams/sse.js';
import type { ClientEventStream } from './client-event-stream.js';
import { MessageAccumulator } from './message-accumulator.js';
import type { StreamOutcome } from './stream-outcome.js';

/**
 * Relays Anthropic's own stream events to the client unchanged, each written as it arrives, so
 * `thinking` blocks, signatures and server-tool events reach the SDK as Anthropic sent them.
 */
export async function relayNativeStream(options: {
  stream: ClientEventStream;
  events: AsyncIterable<MessagesStreamEvent>;
  /** performance.now() when the request began, for time to first token. */
  started: number;
}): Promise<StreamOutcome> {
  const { stream } = options;
  let usage = NO_USAGE;
  let ttftMs: number | undefined;
  let failure: string | undefined;
  const output = new MessageAccumulator();
  try {
    for await (const event of options.events) {
      usage = event.usage;
      output.add(event);
      if (ttftMs === undefined && event.type === 'content_block_delta') ttftMs = performance.now() - options.started;
      await stream.write(formatSse(event.data, event.type));
    }
  } catch (error) {
    failure = stream.fail(error);
  } finally {
    stream.end();
  }
  return { usage, ttftMs, failure, output: output.message() };
}
