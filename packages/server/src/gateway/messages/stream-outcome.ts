import type { Usage } from '@switchyard/shared';

/** How a Messages stream went, for the call's record. */
export type StreamOutcome = {
  usage: Usage;
  /** Milliseconds from the request's start to the first content delta. */
  ttftMs: number | undefined;
  /** Why the stream did not complete, if it did not. */
  failure: string | undefined;
};
