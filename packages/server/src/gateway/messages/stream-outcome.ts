import type { Usage } from '@switchyard/shared';
import type { RecordedMessage } from './recorded-message.js';

/** How a Messages stream went, for the call's record. */
export type StreamOutcome = {
  usage: Usage;
  /** Milliseconds from the request's start to the first content delta. */
  ttftMs: number | undefined;
  /** Why the stream did not complete, if it did not. */
  failure: string | undefined;
  /** The answer as far as it streamed, for the record. */
  output: RecordedMessage;
};
